# Cuesheet's commands. A person needs two: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
TAURI_DRIVER_VERSION := 2.1.0
TOOLS := $(CURDIR)/.cache/tools
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
BIN := target/debug/cuesheet
UI_DEPS := ui/node_modules/.installed
UI_DIST := ui/dist/index.html
UI_SOURCES := $(shell find ui/src ui/index.html ui/vite.config.ts ui/tsconfig.json ui/svelte.config.js icons/cuesheet.svg -type f 2>/dev/null)
SCREENSHOT := docs/screenshot.png
FUZZ_SECONDS ?= 20

export CARGO_TERM_COLOR ?= never

.PHONY: help run test lint fmt bindings screenshot bench fuzz build setup-run setup-test clean \
	notices package package-check setup-package lint-workflows

help:
	@echo "make run         set up, build and open Cuesheet on your library"
	@echo "make test        set up and run every check and test (what CI runs)"
	@echo "make lint        cargo fmt --check, clippy -D warnings, UI type check"
	@echo "make fmt         format the Rust code"
	@echo "make bindings    regenerate the UI's TypeScript types from Rust"
	@echo "make screenshot  photograph the real window under Xvfb into $(SCREENSHOT)"
	@echo "make bench       measure search (1.5M songs), playlist import/export, Spotify export, online look-ups, start-up and memory (10k soundtracks) into docs/BENCHMARKS.md"
	@echo "make fuzz        fuzz every playlist reader and the paste reader, FUZZ_SECONDS=$(FUZZ_SECONDS) s each, into docs/BENCHMARKS.md"
	@echo "make package     build the .deb and .rpm (release, with third-party notices) and print their paths and sizes"
	@echo "make package-check  unpack the .deb and check it like an install: metadata, desktop file, icons, CLI, window"
	@echo "make notices     generate the third-party notices (Rust crates and npm packages) into target/notices/"

setup-run:
	@.ci/setup.sh run

setup-test:
	@.ci/setup.sh test

setup-package:
	@.ci/setup.sh package

# npm ci refuses the lock file here (optional packages of other platforms are not served), so
# install with npm install and keep the committed lock file.
$(UI_DEPS): ui/package.json ui/package-lock.json
	cd ui && npm install --no-audit --no-fund --loglevel=error
	touch $@

$(UI_DIST): $(UI_DEPS) $(UI_SOURCES)
	cd ui && npm run build

# The window embeds ui/dist at compile time, so the UI is built first.
build: setup-run $(UI_DIST)
	$(CARGO) build -p cuesheet

run: build
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  exec $(BIN); \
	else \
	  echo "No display here (DISPLAY and WAYLAND_DISPLAY are unset): opening Cuesheet on a virtual display (Xvfb) instead."; \
	  .ci/setup.sh shot; \
	  shot=$$(.ci/window.sh $(BIN) $(CURDIR)/artifacts/cuesheet-window.png); \
	  echo "Screenshot of the window: $$shot"; \
	  echo; echo "Your library, through the CLI ($(BIN) soundtracks):"; \
	  $(BIN) soundtracks; \
	fi

$(TAURI_DRIVER):
	$(CARGO) install tauri-driver --locked --version $(TAURI_DRIVER_VERSION) --root $(TOOLS)

lint: $(UI_DIST)
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check

test: setup-test $(UI_DIST) $(TAURI_DRIVER)
	.ci/lint-workflows.sh
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check
	cd ui && npm test
	$(CARGO) build -p cuesheet
	TAURI_DRIVER=$(TAURI_DRIVER) $(CARGO) test --workspace

# Release builds on generated data in temporary folders; about twenty minutes on 2 cores. Each
# bench replaces its own section of docs/BENCHMARKS.md. The .deb is built first so the start-up
# bench can record its size; the Tauri CLI comes with the UI's npm packages.
bench: $(UI_DIST) $(TAURI_DRIVER)
	.ci/setup.sh bench
	$(CARGO) run --release -p cuesheet-core --example search_bench -- --out docs/BENCHMARKS.md
	$(CARGO) run --release -p cuesheet-core --example formats_bench -- --out docs/BENCHMARKS.md
	$(CARGO) run --release -p cuesheet-core --example import_limits_bench -- --out docs/BENCHMARKS.md
	$(CARGO) run --release -p cuesheet-core --example survey_bench -- --out docs/BENCHMARKS.md
	$(CARGO) run --release -p cuesheet-core --example backup_bench -- --out docs/BENCHMARKS.md
	.ci/package.sh deb
	$(CARGO) build --release -p cuesheet --bin cuesheet --example minimal_window
	CUESHEET_BIN=$(CURDIR)/target/release/cuesheet $(CARGO) run --release -p cuesheet-tests --example export_bench -- --out docs/BENCHMARKS.md
	CUESHEET_BIN=$(CURDIR)/target/release/cuesheet $(CARGO) run --release -p cuesheet-tests --example catalog_bench -- --out docs/BENCHMARKS.md
	CUESHEET_BIN=$(CURDIR)/target/release/cuesheet MINIMAL_BIN=$(CURDIR)/target/release/examples/minimal_window \
	  TAURI_DRIVER=$(TAURI_DRIVER) $(CARGO) run --release -p cuesheet-tests --example startup_bench -- --out docs/BENCHMARKS.md

# Stable Rust, no cargo-fuzz: a release-built driver feeds random and mutated files to each
# reader for FUZZ_SECONDS and replaces its section of docs/BENCHMARKS.md; findings are saved in
# target/fuzz-findings/ and fail the run. The property tests in cargo test are the short half.
fuzz:
	$(CARGO) run --release -p cuesheet-core --example fuzz -- --seconds $(FUZZ_SECONDS) --out docs/BENCHMARKS.md

# Release builds (several minutes on 2 cores); not part of `make test`.
notices: $(UI_DEPS)
	.ci/notices.sh

package: setup-package $(UI_DEPS)
	.ci/package.sh

package-check: setup-package $(UI_DIST) $(TAURI_DRIVER)
	$(CARGO) build -p cuesheet-tests --tests
	.ci/package-check.sh

lint-workflows:
	.ci/lint-workflows.sh

fmt:
	$(CARGO) fmt --all

bindings:
	CUESHEET_UPDATE_BINDINGS=1 $(CARGO) test -p cuesheet-core --test bindings

screenshot: build
	.ci/setup.sh shot
	CUESHEET_SCREENSHOT_WAIT=10 .ci/window.sh $(BIN) $(CURDIR)/$(SCREENSHOT) "$$(mktemp -d)"

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules .cache artifacts
