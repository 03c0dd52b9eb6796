# snnex — build, test, install. Every module folder's .c files go into
# libsnnex.a; cli/ builds the snnex program; tests/test_*.c are CUnit suites,
# one binary each.
CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
OPT      ?= -O2 -g
SAN      ?=
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(SAN) \
             -Wall -Wextra -Werror -fopenmp -I. $(CFLAGS)
LDLIBS_ALL = -lconfig -lgsl -lopenblas -lz -lm $(LDLIBS)
LDFLAGS_ALL = -fopenmp $(SAN) $(LDFLAGS)

MODULES  = common desc estimator models memtech trainer sweeps plots validation
LIB_SRC  = $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HEADERS  = $(foreach m,$(MODULES),$(wildcard $(m)/$(m).h))
TOOLS_SRC = $(wildcard tools/*.c)
TOOLS_BIN = $(TOOLS_SRC:tools/%.c=$(BUILD)/tools/%)

.PHONY: all test asan bench install clean tools
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

# Runs every suite (each prints CUnit's summary); fails if any suite fails.
# Builds the MPI program first when mpicc is there, so the 2-rank sweep
# test runs.
test: all $(TEST_BIN)
	@if command -v $(MPICC) >/dev/null 2>&1; then $(MAKE) --no-print-directory mpi; fi
	@fail=0; for t in $(TEST_BIN); do \
	    echo "=== $$t"; OMP_NUM_THREADS=2 ./$$t || fail=1; done; \
	echo; if [ $$fail = 0 ]; then echo "all suites passed"; \
	else echo "SOME SUITES FAILED"; exit 1; fi

# The whole suite under AddressSanitizer + UBSan, in its own build tree.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

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
