from yingshang.cli import main

main()
