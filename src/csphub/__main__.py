from csphub.cli import main

raise SystemExit(main())
