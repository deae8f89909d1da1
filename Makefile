# csphub: two commands.
#   make demo   install everything, load the demo partnership, serve http://127.0.0.1:8000
#   make test   lint, types, import layers, the whole test suite on SQLite, then on PostgreSQL when reachable
# and, while editing (DEVELOPING.md):
#   make check  lint, types, import contracts and the fast tests on SQLite, in parallel
.PHONY: demo test check setup serve bench clean

demo: setup
	.venv/bin/csphub migrate --noinput
	.venv/bin/csphub demo
	.venv/bin/csphub runserver 127.0.0.1:8000

test: setup
	scripts/test.sh

check: setup
	scripts/check.sh

setup:
	scripts/setup.sh

serve:
	.venv/bin/csphub runserver 127.0.0.1:8000

bench: setup
	.venv/bin/python bench/run.py

clean:
	rm -rf .venv node_modules src/csphub/static/vendor staticfiles
