"""Site rules on hand-written pages, one per template (fixtures/sites/).

Each fixture copies its template's real structure (class names, nesting, where 来源/time/作者/责编
sit, the chrome around the article) from a real page of that portal, with invented article text.
The fixture is the truth: when a rule disagrees with it, the rule is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED_HTML, page
from selectolax.lexbor import LexborHTMLParser

import scraper
from scraper.extract.blocks import parse
from scraper.extract.sites import find_template, load_rules

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

SITES = FIXTURES / "sites"
RULE_FILES = sorted((Path(scraper.__file__).parent / "extract" / "sites").glob("*.toml"))


@dataclass(frozen=True)
class Case:
    fixture: str
    url: str
    site: str
    template: str
    title: str
    source: str | None
    author: str | None
    editor: str | None
    published_at: str
    paragraphs: tuple[str, ...]
    chrome: tuple[str, ...]  # nav, share bars, credits, related lists, footer: never in the body

    def __str__(self) -> str:  # readable test ids
        return self.fixture.removesuffix(".html")


# The formatter would give every chrome string a line of its own.
# fmt: off
CASES = [
    Case(
        fixture="sina_main_title.html",
        url="https://news.sina.com.cn/c/2024-06-18/doc-inazqtwe4817265.shtml",
        site="sina.com.cn",
        template="main-title article",
        title="老旧小区加装电梯提速 江城今年计划新开工300部",
        source="江城晚报",
        author=None,  # sina's template has no author line
        editor="王潇",
        published_at="2024-06-18T07:42:00+08:00",
        paragraphs=(
            "6月17日上午，江城市东湖区桂园小区3号楼的新电梯正式投入使用。72岁的住户陈桂芳第一次不用扶着栏杆一步一歇地爬上五楼，“以前下一趟楼要想半天，现在买菜、散步都方便了。”",
            "记者从江城市住房和城乡建设局获悉，今年全市计划新开工老旧小区加装电梯300部，截至5月底已开工127部、完工64部。与往年相比，审批环节由原来的9个压缩为4个，平均办理时间缩短到20个工作日以内。",
            "加装电梯难，难在协调。东湖区桂园社区党委书记刘敏介绍，社区先后组织了11次楼栋协商会，请设计单位现场讲解方案，对低楼层住户关心的采光、噪音问题逐一回应，最终全体住户签字同意。",
            "市住建局相关负责人表示，下一步将推广“统一设计、统一采购、统一维保”模式，降低单部电梯建设成本，并探索将电梯运行维护纳入物业服务，让居民装得上、用得起、管得好。",
        ),
        chrome=(
            "新浪首页", "国内新闻", "正文", "举报", "缩小字体", "收藏", "微博", "新加装的电梯",
            "扫码下载", "责任编辑", "王潇", "关键词", "相关新闻", "多地出台既有住宅加装电梯新规",
            "热门推荐", "版权所有", "SINA_ARTICLE",
        ),
    ),
    Case(
        fixture="news_cn_detail.html",
        url="http://www.news.cn/local/20240618/5c2e8a41f7b94d0e8b3a6c1d2e4f7a90/c.html",
        site="news.cn",
        template="head-line / detail",
        title="福建宁德：海上养殖“碳汇”探索绿色增收新路",
        source="新华网",
        author="林海鸣",  # from the dateline （记者林海鸣）
        editor="陈思远",
        published_at="2024-06-18T10:15:32+08:00",
        paragraphs=(
            "新华社福州6月18日电（记者林海鸣）初夏时节，福建宁德三都澳海域渔排连片，养殖户正忙着采收海带。与往年不同的是，今年这些海带除了卖给加工企业，还有一部分“碳汇”收益可以入账。",
            "宁德市海洋与渔业局介绍，当地去年启动海水养殖碳汇核算试点，委托科研机构对海带、紫菜、牡蛎等品种的固碳量进行测算，目前已有4家养殖合作社完成碳汇交易，累计成交约1.2万吨二氧化碳当量。",
            "“同样一亩海带，多了一份收入，大家养殖的积极性更高了。”蕉城区一家养殖合作社负责人郑永泉说，合作社把碳汇收益的一部分用于更换环保浮球和升级深水网箱，减少海漂垃圾。",
            "业内专家表示，海洋碳汇核算方法仍需进一步统一和完善。下一步，宁德将联合高校建立长期监测站点，推动形成可复制的养殖碳汇标准。",
        ),
        chrome=(
            "地方", "字体", "分享到", "纠错", "责任编辑", "陈思远", "阅读下一篇",
            "闽东沿海启动伏季休渔执法检查", "相关新闻", "蓝碳交易市场建设提速", "Copyright",
            "版权所有", "来源：新华网", "detailConfig",
        ),
    ),
    Case(
        fixture="people_rm_txt.html",
        url="http://society.people.com.cn/n1/2024/0618/c1008-40259876.html",
        site="people.com.cn",
        template="rm_txt",
        title="家门口的“幸福食堂”香起来了",
        source="人民网－人民日报",
        author="孙秀娟、何川",  # "本报记者  孙秀娟  何  川"
        editor="杨虹、王震",
        published_at="2024-06-18T07:25:00+08:00",
        paragraphs=(
            "傍晚5点，江苏省常州市天宁区红梅街道的社区食堂里已经排起了队。两荤两素一汤，老年人凭卡就餐只需12元，不少附近上班的年轻人也专门过来打包晚饭。",
            "“子女工作忙，以前中午常常是一碗面条对付过去。”今年78岁的居民王秀英说，食堂开办后，她几乎每天都来吃午饭，“饭菜软烂、少油少盐，还能和老邻居聊聊天。”",
            "记者了解到，红梅街道的社区食堂由街道提供场地、引入专业餐饮企业运营，民政部门按就餐人次给予补贴。食堂还为行动不便的高龄老人提供送餐上门服务，目前每天送餐约60份。",
            "据介绍，今年以来，多地把社区食堂建设列入民生实事项目，通过场地减免、水电气价格优惠等方式降低运营成本。下一步，相关部门将加强食品安全监管，推动社区食堂可持续运营。",
        ),
        chrome=(
            "首页", "党政", "社会·法治", "多地推进社区食堂建设", "本报记者", "小字号", "来源：",
            "《 人民日报 》", "11 版", "责编", "杨虹", "关注公众号", "分享让更多人看到", "推荐阅读",
            "社区嵌入式服务设施建设加快推进", "客户端下载", "热门排行", "版权所有", "menu_item",
        ),
    ),
    Case(
        fixture="people_text_con.html",
        url="http://travel.people.com.cn/n1/2019/0712/c41570-31229876.html",
        site="people.com.cn",
        template="text_con",
        title="古村落里的“慢时光”：皖南民宿带火乡村游",
        source="人民网-旅游频道",
        author="程远航",
        editor="韩雪、刘阳",
        published_at="2019-07-12T08:30:00+08:00",
        paragraphs=(
            "暑期临近，安徽省黄山市黟县的古村落迎来旅游小高峰。青石板路两旁，不少老宅挂出了民宿招牌，游客坐在天井里喝茶、听雨，感受徽州村落的“慢时光”。",
            "在西递镇，一栋有两百多年历史的老宅经过修缮，变成了拥有8间客房的精品民宿。民宿主人胡建平告诉记者，修缮时保留了原有的木雕、砖雕和马头墙，只对水电和卫浴做了现代化改造，“游客来这里，就是想住进老房子里。”",
            "黟县文化和旅游局提供的数据显示，全县目前有民宿近600家，今年上半年接待游客同比增长15%。民宿带动了当地农产品销售，不少村民在家门口当上了管家、厨师和导游。",
            "当地有关负责人表示，将出台民宿服务规范，引导经营者在保护古建筑的前提下适度开发，避免同质化竞争，让古村落既留得住乡愁，又带得动增收。",
        ),
        chrome=(
            "人民网首页", "强国论坛", "网站地图", "程远航", "来源：", "分享到", "责编", "韩雪",
            "客户端下载", "手机人民网", "推荐阅读", "暑期亲子游预订量大幅增长", "热点排行",
            "版权所有", "ops_share_config",
        ),
    ),
    Case(
        fixture="sohu_mp_editor.html",
        url="https://www.sohu.com/a/786512345_121106842",
        site="sohu.com",
        template="mp-editor",
        title="夏粮收购开秤 多地启动优质优价收购",
        source="农民日报",  # from the closing line （本文来源：农民日报 作者：郭晓东）
        author="郭晓东",
        editor=None,  # 责任编辑：<span></span> is empty, as on sohu's real pages
        published_at="2024-06-18T09:32:00+08:00",
        paragraphs=(
            "眼下，河南、山东等小麦主产区陆续进入夏粮收购旺季。在河南省周口市一家粮食收储企业门前，满载新麦的农用车排起长队，质检员逐车扦样，检测容重、水分和不完善粒。",
            "今年不少地方推行“优质优价”收购，高筋小麦每斤比普通小麦高出5分到1角钱。种粮大户李长海算了一笔账，自家300亩地种的都是优质强筋品种，按今年的价格能多收入1万多元。",
            "为缓解农户“卖粮难”，多家收储企业延长了收购时间，开通手机预约和线上结算，农户不用再半夜排队。部分地区还启动了最低收购价执行预案的准备工作，守住种粮农民的收益底线。",
            "业内人士认为，随着新麦集中上市，短期内价格可能小幅波动，但在政策托底和加工企业补库需求支撑下，今年夏粮市场总体将保持平稳。",
        ),
        chrome=(
            "搜狐首页", "登录", "中原农事", "总阅读", "查看TA的文章", "分享到", "发布于",
            "本文来源", "郭晓东", "返回搜狐", "责任编辑", "平台声明", "阅读 (", "内容举报",
            "大家都在看", "三夏麦收进度过半", "相关新闻", "24小时热文", "版权所有",
            "article_config",
        ),
    ),
    Case(
        fixture="163_post_body.html",
        url="https://www.163.com/dy/article/J4K7QF2D0514R9KQ.html",
        site="163.com",
        template="post_body",
        title="暑期托管班开班 社区“四点半课堂”接力看护孩子",
        source="潇湘晨报",
        author="周亦然",  # the closing "文/周亦然"
        editor="孙琳_NN5120",  # .creative_statement, outside .post_body
        published_at="2024-06-18T08:05:12+08:00",
        paragraphs=(
            "学校放假第一周，长沙市岳麓区望月湖街道的社区活动室里热闹起来。20多名小学生在志愿者的带领下写作业、练书法，隔壁的手工教室里，几个孩子正用废旧纸箱搭建“未来城市”。",
            "这是街道今年开办的暑期托管班。托管时间从早上8点到下午5点半，午餐由辖区一家养老服务中心的食堂配送，家长每月只需承担少量伙食费。“我们夫妻俩都上班，孩子放假在家没人管，最头疼的就是这两个月。”家长周女士说。",
            "街道相关负责人介绍，托管班的老师主要来自辖区高校的师范生志愿者和退休教师，课程安排以看护、阅读和兴趣活动为主，不进行学科培训。开班前，志愿者都接受了安全和急救培训。",
            "据了解，今年暑假长沙市计划在各街道、社区开设托管班200余个，并把平日的“四点半课堂”延伸到假期，优先保障双职工家庭和困难家庭子女。",
        ),
        chrome=(
            "网易首页", "网易号", "申请入驻", "来源", "湖南", "举报", "1268", "分享至", "文/",
            "周亦然", "责任编辑", "孙琳", "特别声明", "Notice", "网易跟贴", "相关推荐",
            "多地启动暑期托管服务", "热点新闻", "版权所有", "docid",
        ),
    ),
    Case(
        fixture="163_endtext.html",
        url="https://money.163.com/19/0912/15/EP3K2R6A00258105.html",
        site="163.com",
        template="endText",
        title="新能源车企扎堆下沉市场 县城充电桩建设仍需补课",
        source="中国经营报",
        author=None,  # the template has no author line
        editor="刘畅_NF4427",  # span.ep-editor inside #endText
        published_at="2019-09-12T15:20:31+08:00",
        paragraphs=(
            "今年以来，多家新能源车企把销售网络延伸到三四线城市和县城。在河北、河南、山东等地，不少县城的汽车城里新开了新能源品牌体验店，入门车型价格下探到5万元左右。",
            "销量数据印证了这一趋势。据一家第三方机构统计，今年1至8月，县域市场新能源乘用车上险量同比增长约四成，增速明显高于一二线城市。",
            "不过，充电难仍是县城用户的主要顾虑。记者在豫东一县城走访发现，城区公共充电桩集中在两三个加油站和政府停车场，老旧小区几乎没有安装条件，部分快充桩因缺少维护长期处于故障状态。",
            "业内人士建议，车企、电网企业和地方政府应加强协同，把充电设施纳入县城基础设施规划，鼓励社会资本参与建设运营，并在乡镇加油站、客运站等场所优先布点，补齐县域充电网络短板。",
        ),
        chrome=(
            "网易首页", "注册免费邮箱", "网易财经", "举报", "分享到", "易信", "原标题", "本文来源",
            "责任编辑", "刘畅", "跟贴", "相关新闻", "新能源汽车下乡活动启动", "下一篇", "版权所有",
            "article_config",
        ),
    ),
    Case(
        fixture="gmw_2017.html",
        url="http://economy.gmw.cn/2017-05/16/content_24498765.htm",
        site="gmw.cn",
        template="2017 desktop",
        title="智能快递柜进社区 “最后一百米”仍有痛点待解",
        source="经济日报",
        author="李明远",
        editor="宋宇",
        # The visible #pubTime stops at the minute; #pubtime_baidu carries the seconds.
        published_at="2017-05-16T08:41:27+08:00",
        paragraphs=(
            "在北京市朝阳区一个老小区门口，两组智能快递柜一字排开，下班回家的居民扫码取件，前后不到一分钟。这样的场景，如今在不少城市的社区已经很常见。",
            "记者调查发现，智能快递柜解决了收件人不在家、快递员反复投递的难题，但也带来新的烦恼：有的快递员不经收件人同意直接把包裹放进柜子，有的快递柜超时收取保管费，大件和生鲜包裹放不进去。",
            "一位快递柜运营企业负责人坦言，快递柜前期投入大、场地租金高，目前多数点位仍处于亏损状态，“靠投递费很难覆盖成本，只能在广告和增值服务上想办法”。",
            "专家建议，应尽快出台智能快件箱服务规范，明确投递前征得收件人同意等要求；同时鼓励社区、物业与快递企业合作，因地制宜建设综合服务站，把“最后一百米”的服务做细做实。",
        ),
        chrome=(
            "光明网首页", "经济频道", "正文", "来源：", "作者：", "李明远",
            "居民在小区门口的智能快递柜取件", "责任编辑", "宋宇", "分享到", "相关新闻",
            "快递业务量连续多月保持高速增长", "热点推荐", "光明网版权所有", "contentTitle",
        ),
    ),
]
# fmt: on


def html_of(case: Case) -> bytes:
    return (SITES / case.fixture).read_bytes()


@pytest.fixture(scope="module", params=CASES, ids=str)
def case(request) -> Case:
    return request.param


@pytest.fixture(scope="module")
def article(case) -> scraper.Article:
    return scraper.extract(html_of(case), url=case.url)


def test_fixture_is_small_and_unique_to_its_template(case):
    html = html_of(case)
    assert 3_000 <= len(html) <= 8_000
    tree = parse(html.decode("utf-8"))
    matching = [t.name for r in load_rules() for t in r.templates if tree.css_first(t.detect)]
    assert matching == [case.template]


def test_the_url_picks_the_template(case):
    template = find_template(parse(html_of(case).decode("utf-8")), case.url)
    assert (template.site, template.name) == (case.site, case.template)


def test_rule_fields(case, article):
    assert article.extractor == f"rule:{case.site}"
    assert (article.site, article.url) == (case.site, case.url)
    assert article.title == case.title
    assert article.source == case.source
    assert article.author == case.author
    assert article.editor == case.editor
    assert article.published_at == case.published_at


def test_rule_paragraphs(case, article):
    assert article.paragraphs == list(case.paragraphs)


def test_rule_body_has_no_chrome(case, article):
    assert [text for text in case.chrome if text in (article.body or "")] == []


def test_fingerprint_without_url(case):
    """A saved page with no URL is recognised by its template's `detect` selector."""
    html = html_of(case)
    template = find_template(parse(html.decode("utf-8")), None)
    assert (template.site, template.name) == (case.site, case.template)
    assert scraper.extract(html).extractor == f"rule:{case.site}"


def test_every_template_has_a_fixture():
    """A new template needs a fixture here (gmw's 2018 template is the seed page's)."""
    covered = {(c.site, c.template) for c in CASES}
    seed = find_template(parse(SEED_HTML.read_text("utf-8")), None)
    covered.add((seed.site, seed.name))
    templates = {(t.site, t.name) for r in load_rules() for t in r.templates}
    assert templates == covered


# --- the rule files themselves ------------------------------------------------------------


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_file_is_complete(path):
    data = tomllib.loads(path.read_text("utf-8"))
    assert isinstance(data["site"], str) and data["site"].strip()
    assert data["hosts"] and all(isinstance(h, str) and h.strip() for h in data["hosts"])
    assert data.get("template"), "a rule needs at least one template"
    for template in data["template"]:
        assert template.get("name", "").strip()
        assert template.get("detect", "").strip(), f"{template['name']}: empty detect"
        assert template.get("body", "").strip(), f"{template['name']}: empty body"


def test_rules_load_with_unique_sites():
    rules = load_rules()
    assert len(rules) == len(RULE_FILES)
    sites = [r.site for r in rules]
    assert len(sites) == len(set(sites))


def test_every_selector_compiles():
    """A typo in a selector would otherwise only show on the first page that reaches it."""
    tree = LexborHTMLParser("<html><body><p>x</p></body></html>")
    for rule in load_rules():
        for t in rule.templates:
            for selector in (t.detect, t.body, t.title, t.source, t.date, t.author, t.editor,
                             t.next_page, *t.strip):  # fmt: skip
                if selector:
                    tree.css(selector)


@pytest.mark.parametrize("url", ["https://www.jcdaily.example/city/2024/0513/c_102.html", None])
def test_unknown_host_without_fingerprint_is_generic(url):
    html = page()
    assert find_template(parse(html), url) is None
    assert scraper.extract(html, url=url).extractor == "generic"
