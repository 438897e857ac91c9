from sifund.cli import main

main()
