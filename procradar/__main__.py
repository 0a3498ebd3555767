from procradar.cli import main

main(prog_name="procradar")
