# snnex — build, test, install. Every module folder's .c files go into
# libsnnex.a; cli/ builds the snnex program; tests/test_*.c are CUnit suites,
# one binary each.
CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
OPT      ?= -O2 -g
SAN      ?=
# HDF5 (the NIR reader): Debian's serial HDF5 sits under .../hdf5/serial
HDF5_CFLAGS ?= $(shell pkg-config --cflags hdf5 2>/dev/null || echo -I/usr/include/hdf5/serial)
HDF5_LIBS   ?= $(shell pkg-config --libs hdf5 2>/dev/null || echo -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5)
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(SAN) \
             -Wall -Wextra -Werror -fopenmp -I. $(HDF5_CFLAGS) $(CFLAGS)
LDLIBS_ALL = -lconfig -lgsl -lopenblas $(HDF5_LIBS) -lz -lm $(LDLIBS)
LDFLAGS_ALL = -fopenmp $(SAN) $(LDFLAGS)

MODULES  = common desc nir estimator models memtech trainer sweeps plots validation
LIB_SRC  = $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HEADERS  = $(foreach m,$(MODULES),$(wildcard $(m)/$(m).h))
TOOLS_SRC = $(wildcard tools/*.c)
TOOLS_BIN = $(TOOLS_SRC:tools/%.c=$(BUILD)/tools/%)

.PHONY: all test check asan bench install clean tools
# make test = make fuzz-ci + make valgrind (when clang/valgrind are
# installed) + make check; TEST_EXTRA=0 runs the suites alone.
TEST_EXTRA ?= 1
all: $(BUILD)/libsnnex.a $(BUILD)/snnex

$(BUILD)/%.o: %.c $(HEADERS) $(wildcard */*_internal.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libsnnex.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/snnex: $(CLI_OBJ) $(BUILD)/libsnnex.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(BUILD)/libsnnex.a $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/%.c tests/test_util.h $(BUILD)/libsnnex.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DSNNEX_BIN='"$(BUILD)/snnex"' -DSNNEX_BUILD='"$(BUILD)"' -DSNNEX_SAN='"$(SAN)"' \
	    $(LDFLAGS_ALL) -o $@ $< \
	    $(BUILD)/libsnnex.a -lcunit $(LDLIBS_ALL)

$(BUILD)/tools/%: tools/%.c $(BUILD)/libsnnex.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(BUILD)/libsnnex.a $(LDLIBS_ALL)

tools: $(TOOLS_BIN)

# The gate CI runs (README's second command): a short bounded fuzz pass of
# every input reader, the CLI suites under valgrind memcheck, then every
# CUnit suite; fails if any of them fails. fuzz-ci and valgrind are skipped
# with a message when their tools are not installed.
test: all $(TEST_BIN)
	@if command -v $(MPICC) >/dev/null 2>&1; then $(MAKE) --no-print-directory mpi; fi
	@if [ "$(TEST_EXTRA)" = 1 ] && command -v clang >/dev/null 2>&1 && \
	    [ -f "$$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ]; then \
	    $(MAKE) --no-print-directory fuzz-ci || exit 1; \
	elif [ "$(TEST_EXTRA)" = 1 ]; then echo "=== fuzz-ci SKIPPED: clang/libFuzzer not installed"; fi
	@if [ "$(TEST_EXTRA)" = 1 ] && command -v valgrind >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory valgrind || exit 1; \
	elif [ "$(TEST_EXTRA)" = 1 ]; then echo "=== valgrind SKIPPED: valgrind not installed"; fi
	@$(MAKE) --no-print-directory check

# The CUnit suites alone (what make test ends with): each prints CUnit's
# summary; fails if any suite fails. Builds the MPI program first when
# mpicc is there, so the 2-rank sweep tests run.
check: all $(TEST_BIN)
	@if command -v $(MPICC) >/dev/null 2>&1; then $(MAKE) --no-print-directory mpi; fi
	@fail=0; for t in $(TEST_BIN); do \
	    echo "=== $$t"; OMP_NUM_THREADS=2 ./$$t || fail=1; done; \
	echo; if [ $$fail = 0 ]; then echo "all suites passed"; \
	else echo "SOME SUITES FAILED"; exit 1; fi

# The whole suite under AddressSanitizer + UBSan, in its own build tree.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" check

bench: all
	./$(BUILD)/snnex bench

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(BUILD)/snnex $(DESTDIR)$(PREFIX)/bin/snnex
	install -m 644 $(BUILD)/libsnnex.a $(DESTDIR)$(PREFIX)/lib/libsnnex.a
	for h in $(HEADERS); do install -d $(DESTDIR)$(PREFIX)/include/snnex/$$(dirname $$h); \
	    install -m 644 $$h $(DESTDIR)$(PREFIX)/include/snnex/$$h; done
	sed -e 's|@PREFIX@|$(PREFIX)|g' snnex.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/snnex.pc
	install -d $(DESTDIR)$(PREFIX)/share/snnex/configs $(DESTDIR)$(PREFIX)/share/snnex/validation
	install -m 644 configs/*.cfg configs/*.csv $(DESTDIR)$(PREFIX)/share/snnex/configs
	install -m 644 validation/*.cfg validation/chips.csv $(DESTDIR)$(PREFIX)/share/snnex/validation
	@# the CACTI/NVSim reference points of snnex plot mem, with their README
	@if [ -r $(MEMTECH_REF)/cacti_subset.csv ] && [ -r $(MEMTECH_REF)/nvsim_subset.csv ] && \
	    [ -r $(MEMTECH_REF)/nvsim_45nm.csv ]; then \
	    echo "install reference points from $(MEMTECH_REF)"; \
	    install -d $(DESTDIR)$(PREFIX)/share/snnex/reference/memtech && \
	    install -m 644 $(MEMTECH_REF)/cacti_subset.csv $(MEMTECH_REF)/nvsim_subset.csv \
	        $(MEMTECH_REF)/nvsim_45nm.csv $(MEMTECH_REF)/README.md \
	        $(DESTDIR)$(PREFIX)/share/snnex/reference/memtech; \
	else echo "warning: no $(MEMTECH_REF)/cacti_subset.csv: snnex plot mem will need --ref DIR" \
	    "(set MEMTECH_REF=DIR to install them)" >&2; fi

clean:
	rm -rf build build-asan

# Regenerate memtech/memtech_coef.c from the CACTI/NVSim reference CSVs
# (cacti_subset.csv, nvsim_subset.csv, nvsim_45nm.csv)
# (MEMTECH_REF overrides their directory). The tool links libsnnex.a, which
# contains the current coefficients; the fit does not read them.
MEMTECH_REF ?= ../shared/reference/memtech
.PHONY: memtech-coef
memtech-coef: $(BUILD)/tools/memtech_fit
	./$(BUILD)/tools/memtech_fit $(MEMTECH_REF) memtech/memtech_coef.c

# Regenerate estimator/calib_coef.c: the global calibration fitted over
# the whole validation set (tools/calibrate.c).
.PHONY: calibrate
calibrate: $(BUILD)/tools/calibrate
	./$(BUILD)/tools/calibrate validation estimator/calib_coef.c

# Regenerate the README validation table (validation/report/validation.md,
# .csv) and the parity plot (validation/report/validation_parity.png).
.PHONY: validate-report
validate-report: all
	@mkdir -p validation/report
	./$(BUILD)/snnex validate --dir validation -o validation/report --plot --format markdown

# snnex-mpi: the same program built with mpicc and -DSNNEX_MPI, so that
# `mpirun -n N build/snnex-mpi sweep CFG -o DIR` shards a sweep's chunks
# across ranks (rank 0 writes the same files as one process). Optional:
# the plain build needs no MPI.
MPICC    ?= mpicc
MPI_OBJ  = $(patsubst %.c,$(BUILD)/mpi/%.o,$(LIB_SRC) $(CLI_SRC))
.PHONY: mpi
mpi: $(BUILD)/snnex-mpi
$(BUILD)/mpi/%.o: %.c $(HEADERS) $(wildcard */*_internal.h)
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS_ALL) -DSNNEX_MPI -c $< -o $@
$(BUILD)/snnex-mpi: $(MPI_OBJ)
	$(MPICC) $(LDFLAGS_ALL) -o $@ $(MPI_OBJ) $(LDLIBS_ALL)

# ---- fuzzing and memcheck (fuzz/README.md) ----------------------------------
# make fuzz [FUZZ_SECONDS=N]: builds libsnnex with clang, ASan+UBSan and
# libFuzzer coverage in $(BUILD)/fuzz (serially: -fopenmp-simd and the
# fuzz/omp_serial/omp.h stand-in, so no OpenMP runtime is needed), makes the
# seed corpora from the repository's files (fuzz/seeds.sh) and runs each
# harness for N seconds, one at a time. Fails on any crash, sanitizer
# report, leak, timeout (10 s) or RSS above 2 GiB; the input is kept in
# $(BUILD)/fuzz/crashes/. make fuzz-ci is the short pass CI runs.
# clang 14 does not define __SANITIZE_ADDRESS__ (GCC's ASan macro, which
# turns the trainer's target_clones off); the fuzz build defines it.
FUZZ_CC         ?= clang
FUZZ_SECONDS    ?= 60
FUZZ_CI_SECONDS ?= 6
FUZZ_HARNESSES  = config trace mem_points chips checkpoint nir
FUZZ_DIR        = $(BUILD)/fuzz
FUZZ_MAKE = $(MAKE) --no-print-directory BUILD=$(FUZZ_DIR) CC=$(FUZZ_CC) \
    OPT="-O1 -g -fno-omit-frame-pointer" \
    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fsanitize=fuzzer-no-link" \
    CFLAGS="-fno-openmp -fopenmp-simd -Ifuzz/omp_serial -Wno-unknown-attributes -D__SANITIZE_ADDRESS__=1" \
    LDFLAGS="-fno-openmp"
.PHONY: fuzz fuzz-ci fuzz-build valgrind

# one harness binary, built inside the fuzz tree (BUILD=$(FUZZ_DIR))
$(BUILD)/bin/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_util.h $(BUILD)/libsnnex.a $(HEADERS) $(CLI_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer $(LDFLAGS_ALL) -o $@ $< $(BUILD)/libsnnex.a $(LDLIBS_ALL)

fuzz-build:
	+$(FUZZ_MAKE) $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/bin/fuzz_%)

fuzz: all fuzz-build
	@sh fuzz/seeds.sh $(BUILD)/snnex $(FUZZ_DIR)/seeds
	@mkdir -p $(FUZZ_DIR)/crashes $(FUZZ_DIR)/logs
	@fail=0; for h in $(FUZZ_HARNESSES); do \
	    mkdir -p $(FUZZ_DIR)/corpus/$$h; \
	    log=$(FUZZ_DIR)/logs/$$h.log; \
	    echo "=== fuzz_$$h ($(FUZZ_SECONDS) s; log $$log)"; \
	    if LSAN_OPTIONS=suppressions=fuzz/lsan.supp ./$(FUZZ_DIR)/bin/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_DIR)/crashes/$$h- \
	        $(FUZZ_DIR)/corpus/$$h $(FUZZ_DIR)/seeds/$$h >$$log 2>&1; then \
	        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' $$log; \
	    else fail=1; tail -n 60 $$log; fi; \
	done; \
	echo; if [ $$fail = 0 ]; then echo "all fuzzers clean"; \
	else echo "FUZZER FINDINGS: inputs in $(FUZZ_DIR)/crashes/"; exit 1; fi

fuzz-ci:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CI_SECONDS)

# make valgrind: the suites that run the snnex program run it under
# valgrind memcheck (tests/test_util.h puts $SNNEX_WRAP in front of every
# snnex command), one log per process in $(BUILD)/valgrind/; fails when a
# suite fails or any log holds an error (invalid access, uninitialised
# value, or a definite, indirect or possible leak not in
# fuzz/valgrind.supp).
VALGRIND_SUITES ?= test_config test_memtech test_validation test_sweeps test_trainer test_nir
VALGRIND_CMD = valgrind -q --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    --suppressions=fuzz/valgrind.supp --log-file=$(BUILD)/valgrind/snnex.%p.log
valgrind: all $(VALGRIND_SUITES:%=$(BUILD)/tests/%)
	@rm -rf $(BUILD)/valgrind; mkdir -p $(BUILD)/valgrind
	@fail=0; for t in $(VALGRIND_SUITES); do \
	    echo "=== $$t (snnex under valgrind)"; \
	    SNNEX_WRAP="$(VALGRIND_CMD)" OMP_NUM_THREADS=2 ./$(BUILD)/tests/$$t || fail=1; done; \
	n=$$(ls $(BUILD)/valgrind | wc -l); bad=$$(find $(BUILD)/valgrind -type f -size +0 | wc -l); \
	echo; echo "valgrind: $$n snnex processes, $$bad with errors"; \
	find $(BUILD)/valgrind -type f -size +0 -exec cat {} +; \
	if [ $$fail != 0 ] || [ $$bad != 0 ]; then echo "VALGRIND FAILED"; exit 1; fi
