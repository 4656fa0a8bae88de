/*
 * A minimal HotSpot disassembler plugin (the hsdis-<arch>.so that -XX:+PrintAssembly and JMH's perfasm
 * load) on top of the Capstone library, for x86-64. Build: gcc -O2 -shared -fPIC -o hsdis-amd64.so
 * hsdis-capstone.c -lcapstone (Debian: libcapstone-dev). jmh/scripts/perfasm.sh builds and uses it.
 */
#include <capstone/capstone.h>
#include <stdint.h>
#include <string.h>

typedef void* (*event_fn)(void* stream, const char* event, void* arg);
typedef int (*print_fn)(void* stream, const char* format, ...);

static void* ignore_event(void* stream, const char* event, void* arg) { return NULL; }

/* The entry point HotSpot looks up: disassembles buffer[0..length), which sits at start_va. */
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer,
                                  uintptr_t length, event_fn event, void* event_stream, print_fn print,
                                  void* print_stream, const char* options, int newline) {
  csh handle;
  cs_insn* insn;
  if (event == NULL) event = ignore_event;
  if (print == NULL || cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) return NULL;
  int intel = options != NULL && strstr(options, "intel") != NULL;
  cs_option(handle, CS_OPT_SYNTAX, intel ? CS_OPT_SYNTAX_INTEL : CS_OPT_SYNTAX_ATT);
  cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON); /* constants inside the code: shown as data, not stop */
  size_t n = cs_disasm(handle, buffer, length, (uint64_t) start_va, 0, &insn);
  for (size_t i = 0; i < n; i++) {
    event(event_stream, "insn", (void*) (uintptr_t) insn[i].address);
    print(print_stream, "%s\t\t%s", insn[i].mnemonic, insn[i].op_str);
    event(event_stream, "/insn", (void*) (uintptr_t) (insn[i].address + insn[i].size));
    if (newline) print(print_stream, "\n");
  }
  if (n > 0) cs_free(insn, n);
  cs_close(&handle);
  return NULL;
}
