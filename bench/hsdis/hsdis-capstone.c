/*
 * hsdis-capstone.c -- minimal HotSpot disassembler plugin (hsdis) backed by
 * the Capstone disassembly library (tested with Debian bookworm capstone 4.0.2).
 *
 * Implements the plugin protocol described in OpenJDK's src/utils/hsdis/hsdis.h:
 *   decode_instructions_virtual(start_va, end_va, buffer, length,
 *                               event_callback, event_stream,
 *                               printf_callback, printf_stream,
 *                               options, newline)
 * plus the legacy decode_instructions() entry point.
 *
 * Events emitted: "insns", "mach name='%s'", "insn"/"/insn" around each
 * instruction (arg = address), "addr/" for direct call/jump targets (so HotSpot
 * can annotate them), "/insns".
 *
 * Options (-XX:PrintAssemblyOptions=...): "intel" = Intel syntax (default AT&T),
 * "att" = AT&T syntax, "help".
 *
 * Build: gcc -O2 -Wall -shared -fPIC -o hsdis-amd64.so hsdis-capstone.c -lcapstone
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <capstone/capstone.h>

typedef void* (*event_callback_t)(void*, const char*, void*);
typedef int   (*printf_callback_t)(void*, const char*, ...);

#define EXPORT __attribute__((visibility("default")))

static void* null_event_callback(void* s, const char* ev, void* arg) {
  (void)s; (void)ev; (void)arg;
  return NULL;
}

/* print all events as XML markup (used when a stream but no callback is given) */
static void* xml_event_callback(void* stream, const char* event, void* arg) {
  FILE* fp = (FILE*) stream;
  if (event[0] != '/') {
    fprintf(fp, "<dis:");
    fprintf(fp, event, arg);
    fprintf(fp, ">");
  } else {
    fprintf(fp, "</dis:%s>", event + 1);
  }
  return NULL;
}

static int match_opt(const char* p, size_t len, const char* name) {
  return strlen(name) == len && strncmp(p, name, len) == 0;
}

/* returns 1 if intel syntax requested */
static int parse_options(const char* options, printf_callback_t pf, void* ps) {
  int intel = 0;
  const char* p = options ? options : "";
  while (*p != '\0') {
    while (*p == ',' || *p == ' ') p++;
    if (*p == '\0') break;
    const char* end = p;
    while (*end != '\0' && *end != ',') end++;
    size_t len = (size_t)(end - p);
    if (match_opt(p, len, "intel")) {
      intel = 1;
    } else if (match_opt(p, len, "att")) {
      intel = 0;
    } else if (match_opt(p, len, "help")) {
      pf(ps, "hsdis-capstone options: intel (Intel syntax), att (AT&T syntax, default)\n");
    } else {
      pf(ps, "Unknown PrintAssembly option: %.*s\n", (int) len, p);
    }
    p = end;
  }
  return intel;
}

EXPORT
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va,
                                  unsigned char* buffer, uintptr_t length,
                                  event_callback_t event_callback,
                                  void* event_stream,
                                  printf_callback_t printf_callback,
                                  void* printf_stream,
                                  const char* options,
                                  int newline) {
  csh h;
  (void) end_va;

  if (printf_callback == NULL) {
    printf_callback = (printf_callback_t) &fprintf;
    if (printf_stream == NULL) printf_stream = stdout;
  }
  if (event_callback == NULL) {
    event_callback = (event_stream == NULL) ? &null_event_callback : &xml_event_callback;
  }

  if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
    printf_callback(printf_stream, "hsdis-capstone: cs_open failed\n");
    return NULL;
  }
  int intel = parse_options(options, printf_callback, printf_stream);
  cs_option(h, CS_OPT_SYNTAX, intel ? CS_OPT_SYNTAX_INTEL : CS_OPT_SYNTAX_ATT);
  cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);   /* needed to find branch targets */
  cs_option(h, CS_OPT_SKIPDATA, CS_OPT_ON); /* don't stop at undecodable bytes */

  cs_insn* insn = cs_malloc(h);
  const uint8_t* code = buffer;
  size_t size = (size_t) length;
  uint64_t addr = (uint64_t) start_va;

  event_callback(event_stream, "insns", (void*) start_va);
  event_callback(event_stream, "mach name='%s'", (void*) "i386:x86-64");

  while (size > 0) {
    uint64_t here = addr;
    if (!cs_disasm_iter(h, &code, &size, &addr, insn)) {
      /* should not happen with SKIPDATA, but make progress anyway */
      event_callback(event_stream, "insn", (void*)(uintptr_t) here);
      printf_callback(printf_stream, ".byte\t0x%02x", *code);
      event_callback(event_stream, "/insn", (void*)(uintptr_t)(here + 1));
      if (newline) printf_callback(printf_stream, "\n");
      code++; size--; addr++;
      continue;
    }
    event_callback(event_stream, "insn", (void*)(uintptr_t) insn->address);

    int printed = 0;
    cs_detail* d = insn->detail;
    if (insn->id != 0 && d != NULL && d->x86.op_count == 1 &&
        d->x86.operands[0].type == X86_OP_IMM &&
        (cs_insn_group(h, insn, CS_GRP_JUMP) || cs_insn_group(h, insn, CS_GRP_CALL))) {
      /* direct branch/call: let HotSpot print the (symbolic) target */
      printf_callback(printf_stream, "%s\t", insn->mnemonic);
      void* r = event_callback(event_stream, "addr/",
                               (void*)(uintptr_t) d->x86.operands[0].imm);
      if (r == NULL) printf_callback(printf_stream, "%s", insn->op_str);
      printed = 1;
    }
    if (!printed) {
      if (insn->op_str[0] != '\0')
        printf_callback(printf_stream, "%s\t%s", insn->mnemonic, insn->op_str);
      else
        printf_callback(printf_stream, "%s", insn->mnemonic);
    }
    event_callback(event_stream, "/insn", (void*)(uintptr_t)(insn->address + insn->size));
    if (newline) printf_callback(printf_stream, "\n");
  }

  event_callback(event_stream, "/insns", (void*)(uintptr_t) addr);
  cs_free(insn, 1);
  cs_close(&h);
  return NULL;
}

/* Compatibility entry point for older HotSpot versions (in-process decoding). */
EXPORT
void* decode_instructions(void* start_pv, void* end_pv,
                          event_callback_t event_callback, void* event_stream,
                          printf_callback_t printf_callback, void* printf_stream,
                          const char* options) {
  uintptr_t s = (uintptr_t) start_pv, e = (uintptr_t) end_pv;
  return decode_instructions_virtual(s, e, (unsigned char*) start_pv, e - s,
                                     event_callback, event_stream,
                                     printf_callback, printf_stream, options, 0);
}
