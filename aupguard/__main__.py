from aupguard.cli import main

raise SystemExit(main())
