from essaycoach.cli import main

main()
