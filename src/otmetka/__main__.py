from otmetka.cli import main

main()
