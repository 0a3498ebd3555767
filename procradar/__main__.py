from procradar.cli import main

main()
