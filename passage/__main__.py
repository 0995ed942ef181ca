from passage.cli import main

main()
