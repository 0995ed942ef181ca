.PHONY: demo test test-postgres lint typecheck bench ci messages
demo: ; ./dev demo
test: ; ./dev test
test-postgres: ; DATABASE_URL=postgres://postgres@127.0.0.1:5432/passage ./dev test
lint: ; ./dev lint
typecheck: ; ./dev typecheck
bench: ; ./dev bench
messages: ; ./dev messages
ci: ; ./dev ci
