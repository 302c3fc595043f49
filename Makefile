# SPDX-License-Identifier: MIT
# teamtoe — teamed FPGA NICs with TCP offload.
#   make demo   the main job (installs what is missing first)
#   make test   every test (installs what is missing first)
# See README.md for the rest.

BUILD    ?= build
CC       ?= gcc
CXX      ?= g++
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g -Wall -Wextra -Werror=implicit-function-declaration
CXXFLAGS ?= $(OPT) -g -Wall
CPPFLAGS += -Ihost/include -Isw-model -Ihost/app -Ihost/cli/demo -D_GNU_SOURCE
LDLIBS   += -lfdt -lpcap -lz -lpthread -lm -lnettle
# SAN: extra flags for every C/C++ compile and link (the san and fuzz builds)
CFLAGS   += $(SAN)
CXXFLAGS += $(SAN)
LDFLAGS  += $(SAN)
VERILATOR ?= verilator
YOSYS    ?= yosys
DTC      ?= dtc

RTL_TOP  := toe_nic
# connection slots of the Verilated card (make clean after changing it)
CONN_SLOTS ?= 1024
RTL_SRC  := $(sort $(wildcard rtl/*.v))
RTL_INC  := $(wildcard rtl/*.vh)
HOST_SRC := $(sort $(wildcard host/*.c host/stack/*.c host/app/*.c))
MODEL_SRC := $(sort $(wildcard sw-model/*.c))
CLI_SRC  := $(sort $(wildcard host/cli/*.c))
# the demo's modules (host/cli/demo/), in the library so tests reach them
DEMO_SRC := $(sort $(filter-out host/cli/demo/main.c,$(wildcard host/cli/demo/*.c)))

HOST_OBJ  := $(HOST_SRC:%.c=$(BUILD)/%.o)
MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/%.o)
DEMO_OBJ  := $(DEMO_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)

# The Verilated card: Verilator's own build makes the model archive and its
# runtime; verilator/card_rtl.cpp wraps them in the card interface.
VOBJ     ?= $(BUILD)/obj_rtl
VLIB     := $(VOBJ)/V$(RTL_TOP)__ALL.a
VRT      := $(VOBJ)/libverilated.a
VROOT    := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
RTL_WRAP_OBJ := $(BUILD)/verilator/card_rtl.o

LIB      := $(BUILD)/libteamtoe.a
ALL_LIBS := $(LIB) $(VLIB) $(VRT)

DTS      := $(sort $(wildcard host/dts/*.dts))
DTB      := $(DTS:host/dts/%.dts=$(BUILD)/dts/%.dtb)

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
DIFF_SRC := $(sort $(wildcard tests/diff/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# scenarios: the demo's world and traffic under faults
SCEN_SRC := $(sort $(wildcard tests/scenario/test_*.c))
SCEN_BIN := $(SCEN_SRC:tests/scenario/%.c=$(BUILD)/tests/%)
SCEN_OBJ := $(BUILD)/tests/scenario/scenario.o
DIFF_BIN := $(DIFF_SRC:tests/diff/%.c=$(BUILD)/tests/%)
# the hostile catalogue: one program, its cases in several files
HOSTILE_SRC := $(sort $(filter-out tests/hostile/test_hostile.c,$(wildcard tests/hostile/*.c)))
HOSTILE_OBJ := $(HOSTILE_SRC:%.c=$(BUILD)/%.o)
HOSTILE_BIN := $(BUILD)/tests/test_hostile
TEST_COMMON := $(sort $(wildcard tests/common/*.c))
TEST_COMMON_OBJ := $(TEST_COMMON:%.c=$(BUILD)/%.o)

.PHONY: all deps defs lint synth pnr bench test difftest-long demo clean check-deps san fuzz-build fuzz fuzz-seeds test-progs fuzzers
all: $(BUILD)/teamtoe $(BUILD)/teamtoe-demo $(BUILD)/mkcapture $(BUILD)/bench_sim $(BUILD)/bench_rtl $(BUILD)/bench_records \
	$(BUILD)/bench_demo $(BUILD)/bench_linux $(DTB) $(UNIT_BIN) $(DIFF_BIN) $(HOSTILE_BIN) $(SCEN_BIN) \
	san fuzz-build
test-progs: $(UNIT_BIN) $(DIFF_BIN) $(HOSTILE_BIN) $(SCEN_BIN)

# ---------------------------------------------------------------- tools
DEPS_OK := $(shell command -v $(VERILATOR) >/dev/null && command -v $(YOSYS) >/dev/null \
	&& command -v $(DTC) >/dev/null && command -v tshark >/dev/null && command -v clang >/dev/null \
	&& command -v curl >/dev/null && command -v socat >/dev/null \
	&& test -e "$$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" \
	&& test -e /usr/include/libfdt.h && test -e /usr/include/pcap/pcap.h \
	&& test -e /usr/include/cmocka.h && test -e /usr/include/nettle/sha2.h && echo yes)

deps:
	bash mk/deps.sh

check-deps:
ifneq ($(DEPS_OK),yes)
	bash mk/deps.sh
endif

# ---------------------------------------------------------------- C objects
$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/common $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(HOST_OBJ) $(MODEL_OBJ) $(DEMO_OBJ) $(RTL_WRAP_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# ---------------------------------------------------------------- RTL model
$(VLIB) $(VRT) &: $(RTL_SRC) $(RTL_INC)
	@mkdir -p $(VOBJ)
	$(VERILATOR) --cc -O3 --trace-fst -Irtl --top-module $(RTL_TOP) -GCONN_SLOTS=$(CONN_SLOTS) \
		-Mdir $(VOBJ) --build -j 2 -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2" $(RTL_SRC)
	$(MAKE) -C $(VOBJ) -f V$(RTL_TOP).mk OPT_GLOBAL=-O2 verilated.o verilated_fst_c.o verilated_threads.o
	rm -f $(VRT) && ar rcs $(VRT) $(VOBJ)/verilated.o $(VOBJ)/verilated_fst_c.o $(VOBJ)/verilated_threads.o

$(RTL_WRAP_OBJ): verilator/card_rtl.cpp $(VLIB) host/include/teamtoe/card.h
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -I$(VOBJ) -I$(VROOT)/include \
		-I$(VROOT)/include/vltstd -c $< -o $@

# ---------------------------------------------------------------- programs
$(BUILD)/teamtoe: $(CLI_OBJ) $(ALL_LIBS)
	$(CXX) $(LDFLAGS) -o $@ $(CLI_OBJ) $(ALL_LIBS) $(LDLIBS)

$(BUILD)/teamtoe-demo: host/cli/demo/main.c $(ALL_LIBS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(ALL_LIBS) $(LDLIBS)

$(BUILD)/bench_demo: tests/bench/bench_demo.c $(ALL_LIBS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@ $(ALL_LIBS) $(LDLIBS) -lstdc++

$(BUILD)/bench_linux: tests/bench/bench_linux.c $(ALL_LIBS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@ $(ALL_LIBS) $(LDLIBS) -lstdc++

$(BUILD)/mkcapture: tests/tools/mkcapture.c $(TEST_COMMON_OBJ) $(ALL_LIBS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common $< $(TEST_COMMON_OBJ) -o $@ $(ALL_LIBS) $(LDLIBS) -lstdc++

$(BUILD)/bench_sim: tests/bench/bench_sim.c $(TEST_COMMON_OBJ) $(ALL_LIBS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common $< $(TEST_COMMON_OBJ) -o $@ $(ALL_LIBS) $(LDLIBS) -lstdc++

$(BUILD)/bench_rtl: tests/bench/bench_rtl.c $(TEST_COMMON_OBJ) $(ALL_LIBS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common $< $(TEST_COMMON_OBJ) -o $@ $(ALL_LIBS) $(LDLIBS) -lstdc++

$(BUILD)/bench_records: tests/bench/bench_records.c $(ALL_LIBS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@ $(ALL_LIBS) $(LDLIBS) -lstdc++

$(BUILD)/tests/%: tests/unit/%.c $(TEST_COMMON_OBJ) $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(TEST_COMMON_OBJ) $(ALL_LIBS) $(LDLIBS) -lcmocka

$(BUILD)/tests/%: tests/scenario/%.c $(SCEN_OBJ) $(TEST_COMMON_OBJ) $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common -Itests/scenario -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(SCEN_OBJ) $(TEST_COMMON_OBJ) $(ALL_LIBS) $(LDLIBS) -lcmocka

$(BUILD)/tests/%: tests/diff/%.c $(TEST_COMMON_OBJ) $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(TEST_COMMON_OBJ) $(ALL_LIBS) $(LDLIBS) -lcmocka

$(HOSTILE_BIN): tests/hostile/test_hostile.c $(HOSTILE_OBJ) $(TEST_COMMON_OBJ) $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common -c $< -o $@.o
	$(CXX) $(LDFLAGS) -o $@ $@.o $(HOSTILE_OBJ) $(TEST_COMMON_OBJ) $(ALL_LIBS) $(LDLIBS) -lcmocka

$(BUILD)/tools/gen_vh: host/tools/gen_vh.c host/include/teamtoe/defs.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@

$(BUILD)/dts/%.dtb: host/dts/%.dts
	@mkdir -p $(@D)
	$(DTC) -q -I dts -O dtb -o $@ $<

# rtl/teamtoe_defs.vh is generated from defs.h and committed so that
# synthesis flows need no C compiler; tests/unit/test_defs checks it.
defs: $(BUILD)/tools/gen_vh
	$(BUILD)/tools/gen_vh > rtl/teamtoe_defs.vh

# ---------------------------------------------------------------- sanitizers
# Two more builds of host/, sw-model/, the wrapper and the tests, sharing
# the (uninstrumented) Verilated model of $(BUILD):
#   make san         $(SAN_BUILD)/: the test programs under ASan + UBSan
#   make fuzz-build  $(FUZZ_BUILD)/fuzz/: libFuzzer harnesses (clang)
#   make fuzz        each harness for FUZZ_SECONDS (default 60) of new inputs
SAN_BUILD  ?= build-san
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
SAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN   := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

san: $(VLIB) $(VRT)
	$(MAKE) BUILD=$(SAN_BUILD) VOBJ=$(VOBJ) OPT=-O1 SAN="$(SAN_FLAGS)" test-progs

fuzz-build: $(VLIB) $(VRT)
	$(MAKE) BUILD=$(FUZZ_BUILD) VOBJ=$(VOBJ) CC=clang CXX=clang++ OPT=-O1 \
		SAN="-fsanitize=fuzzer-no-link $(SAN_FLAGS)" fuzzers

fuzzers: $(FUZZ_BIN)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(TEST_COMMON_OBJ) $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common -c $< -o $@.o
	$(CXX) $(LDFLAGS) -fsanitize=fuzzer -o $@ $@.o $(TEST_COMMON_OBJ) $(ALL_LIBS) $(LDLIBS)

# the seed inputs of tests/fuzz/corpus/ (checked in; rerun after a change
# of an input format)
fuzz-seeds: $(BUILD)/mkseeds $(BUILD)/mkcapture $(DTB)
	mkdir -p $(FUZZ_SRC:tests/fuzz/fuzz_%.c=tests/fuzz/corpus/%)
	$(BUILD)/mkseeds tests/fuzz/corpus/rx tests/fuzz/corpus/host
	for f in $(DTB); do cp $$f tests/fuzz/corpus/dtb/; done
	$(BUILD)/mkcapture tests/fuzz/corpus/pcap/mkcapture-8.pcap 8 1
	$(BUILD)/mkcapture tests/fuzz/corpus/pcap/mkcapture-1.pcap 1 2

$(BUILD)/mkseeds: tests/fuzz/mkseeds.c $(TEST_COMMON_OBJ) $(LIB)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/common $< $(BUILD)/tests/common/framegen.o -o $@ $(LIB)

fuzz: fuzz-build
	for f in $(FUZZ_BIN:$(BUILD)/%=$(FUZZ_BUILD)/%); do \
		bash tests/fuzz/run.sh $$f $(FUZZ_SECONDS) || exit 1; done

# ---------------------------------------------------------------- checks
# modules not (yet) instantiated under the top are linted on their own
RTL_ALONE := tcp_out tcp_cc tcp_timers
lint:
	$(VERILATOR) --lint-only -Wall -Irtl --top-module $(RTL_TOP) $(RTL_SRC)
	for m in $(RTL_ALONE); do \
		$(VERILATOR) --lint-only -Wall -Irtl --top-module $$m rtl/$$m.v || exit 1; done

synth:
	bash mk/synth.sh $(BUILD)/synth --bench $(BUILD)/bench.json

# make pnr SEEDS="1 2 3" sweeps placer seeds
pnr:
	bash mk/pnr.sh $(BUILD) "$(SEEDS)"

bench: all
	bash mk/bench.sh $(BUILD)

# the receive engine's differential test at 10^7 events (not in make test;
# about an hour): TT_SEED replays a run
difftest-long: $(BUILD)/tests/test_diff_engine
	TT_DIFF_EVENTS=$${TT_DIFF_EVENTS:-10000000} $(BUILD)/tests/test_diff_engine

test: check-deps all
	SAN_BUILD=$(SAN_BUILD) FUZZ_BUILD=$(FUZZ_BUILD) bash tests/run.sh $(BUILD)

demo: check-deps all
	bash mk/demo.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
