from scraper.cli.app import main

main()
