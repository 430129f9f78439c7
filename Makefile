# Two entry points (see README.md):
#   make demo   installs missing packages, builds, prints the sample trails
#   make test   installs missing packages, builds, runs every test
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test test-asan fuzz-smoke bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBULLION_WERROR=ON >/dev/null
	@ninja -C $(BUILD) -j $(JOBS)

demo: build
	@echo "== praudit samples/freebsd-execve.bsm (a real FreeBSD execve record)"
	@$(BUILD)/bin/praudit samples/freebsd-execve.bsm
	@echo "== praudit -l samples/tokens.bsm (one record per token kind)"
	@$(BUILD)/bin/praudit -l samples/tokens.bsm
	@echo "== praudit --json samples/hostile.bsm | head -3 (hostile strings, valid JSON)"
	@$(BUILD)/bin/praudit --json samples/hostile.bsm | head -3

test: build
	@cd $(BUILD) && BULLION_REQUIRE_LIVE=1 ctest --output-on-failure -j $(JOBS) -LE live
	@cd $(BUILD) && BULLION_REQUIRE_LIVE=1 ctest --output-on-failure -L live
	@$(MAKE) --no-print-directory fuzz-smoke

# The library, tests and fuzz target again under ASan+UBSan.
test-asan: deps
	@CC=clang CXX=clang++ cmake -S . -B $(BUILD)-asan -G Ninja -DBULLION_SANITIZE=ON -DBULLION_BENCH=OFF -DBULLION_WERROR=ON >/dev/null
	@ninja -C $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && ctest --output-on-failure -j $(JOBS) -LE live

# A short libFuzzer run (clang, ASan+UBSan) from the checked-in corpus.
fuzz-smoke: deps
	@CC=clang CXX=clang++ cmake -S . -B $(BUILD)-fuzz -G Ninja -DBULLION_FUZZ=ON -DBULLION_SANITIZE=ON \
	  -DBULLION_TESTS=OFF -DBULLION_BENCH=OFF >/dev/null
	@ninja -C $(BUILD)-fuzz -j $(JOBS) $$(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp//')
	@for f in fuzz/fuzz_*.cpp; do n=$$(basename $$f .cpp); c=fuzz/corpus/$${n#fuzz_}; \
	  mkdir -p $(BUILD)-fuzz/corpus/$$n && cp -r $$c/. $(BUILD)-fuzz/corpus/$$n/ 2>/dev/null; \
	  echo "fuzz $$n (30 s)"; $(BUILD)-fuzz/bin/$$n -max_total_time=30 -timeout=10 -rss_limit_mb=2048 \
	  $(BUILD)-fuzz/corpus/$$n >$(BUILD)-fuzz/$$n.log 2>&1 || { tail -40 $(BUILD)-fuzz/$$n.log; exit 1; }; \
	  tail -1 $(BUILD)-fuzz/$$n.log; done

bench: build
	@bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
