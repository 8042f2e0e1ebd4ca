/* The daliz engine behind a C ABI (docs/embedding.md, "C ABI"): libdaliz.so.0, for any language
 * that can call C (Python ctypes, Java JNA, Go cgo, …).
 *
 * The flow: make a trust policy, load an approved bundle into an engine once, give each thread a
 * session, and decide each declaration: JSON in, the decision as JSON out, byte for byte what
 * `daliz run` writes for the same line.
 *
 * Rules that hold for every function:
 *  - No function crashes or throws on bad arguments: a null or freed handle, a null pointer or a
 *    wrong size gives an error code (DALIZ_E_ARGUMENT) and a message.
 *  - Every function returns a daliz_status, except the version, error and count accessors.
 *    On failure, daliz_last_error() holds a one-line message for the calling thread, valid until
 *    that thread's next call into this library.
 *  - Ownership: a handle made by a daliz_*_new or daliz_engine_load_* function is the caller's,
 *    released by the matching daliz_*_free (free of NULL is a no-op; a second free of the same
 *    handle is detected and ignored). Strings returned through `const char**` belong to the
 *    handle they came from and stay valid until the next call on that handle, or its free.
 *  - Threads: a policy and an engine may be used from any number of threads at once; a session
 *    by one thread at a time (a concurrent call on the same session gets DALIZ_E_BUSY). An engine
 *    may be freed while sessions made from it live: they keep it loaded until they are freed.
 *  - Text is UTF-8; lengths are in bytes; input JSON need not be NUL-terminated.
 */
#ifndef DALIZ_C_H
#define DALIZ_C_H

#include <stddef.h>
#include <stdint.h>

#include "daliz/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. It changes only when a function's meaning or signature
 * changes; functions are only ever added within one ABI version (the SONAME is libdaliz.so.0). */
#define DALIZ_ABI_VERSION 1

typedef enum daliz_status {
  DALIZ_OK = 0,
  DALIZ_E_ARGUMENT = 1,    /* a null or invalid handle or pointer, or a bad value */
  DALIZ_E_IO = 2,          /* a file could not be read */
  DALIZ_E_REFUSED = 3,     /* the bundle is not approved under the trust policy */
  DALIZ_E_BUNDLE = 4,      /* the bundle is corrupted, truncated or invalid */
  DALIZ_E_INPUT = 5,       /* the declaration or participant cannot be evaluated; the output
                              JSON is still set: an error decision, never a corridor */
  DALIZ_E_UNSUPPORTED = 6, /* the bundle cannot do this (categorise without a categorize block) */
  DALIZ_E_BUSY = 7,        /* the session is in use by another thread */
  DALIZ_E_NOMEM = 8,       /* out of memory */
  DALIZ_E_INTERNAL = 9     /* a bug in daliz: please report the message */
} daliz_status;

typedef struct daliz_trust daliz_trust;     /* which bundles an engine accepts */
typedef struct daliz_engine daliz_engine;   /* a verified, loaded bundle; immutable */
typedef struct daliz_session daliz_session; /* one thread's evaluator */

/* ---- versions and errors ---- */

/* "0.1.0"; static storage. */
DALIZ_API const char* daliz_version(void);
/* DALIZ_ABI_VERSION of the loaded library: compare it with the header's. */
DALIZ_API int daliz_abi_version(void);
/* The bundle format version this engine reads. */
DALIZ_API uint32_t daliz_bundle_format_version(void);
/* The calling thread's message for the last failure ("" when there is none). */
DALIZ_API const char* daliz_last_error(void);
/* A constant name for a status ("DALIZ_E_REFUSED"); "unknown status" for other values. */
DALIZ_API const char* daliz_status_name(daliz_status status);

/* ---- trust policy (docs/approval.md) ---- */

/* A policy that requires `required` (at least 1) distinct trusted signatures; add keys next. */
DALIZ_API daliz_status daliz_trust_new(size_t required, daliz_trust** out);
/* The development policy: unsigned bundles are accepted, signatures present are checked. */
DALIZ_API daliz_status daliz_trust_new_development(daliz_trust** out);
/* Adds an approver's key: 64 hex digits (the line of a `.pub` file), or a `.pub` file. */
DALIZ_API daliz_status daliz_trust_add_key_hex(daliz_trust* trust, const char* hex);
DALIZ_API daliz_status daliz_trust_add_key_file(daliz_trust* trust, const char* path);
/* Sets this host's secret key (a `daliz keygen --kind host` NAME.key file): bundles sealed for it
 * load (docs/bundle.md, "Sealed bundles"); without it a sealed bundle is DALIZ_E_REFUSED. */
DALIZ_API daliz_status daliz_trust_set_host_key_file(daliz_trust* trust, const char* path);
DALIZ_API void daliz_trust_free(daliz_trust* trust);

/* ---- engine ---- */

/* Loads and verifies a bundle under `trust` (the policy is copied: free it when you like). */
DALIZ_API daliz_status daliz_engine_load_file(const char* path, const daliz_trust* trust,
                                              daliz_engine** out);
DALIZ_API daliz_status daliz_engine_load_bytes(const void* bytes, size_t length,
                                               const daliz_trust* trust, daliz_engine** out);
/* The same, with engine flags (0: as above). DALIZ_ENGINE_JIT compiles the profiles to native
 * code at load (docs/jit.md): the same decisions, faster, at a cost in load time. A profile the
 * JIT cannot compile is interpreted; a library built without the JIT interprets everything
 * (daliz_engine_native_functions says how many run natively). An unknown flag, or
 * DALIZ_ENGINE_JIT_BACKGROUND without DALIZ_ENGINE_JIT, is DALIZ_E_ARGUMENT. */
#define DALIZ_ENGINE_JIT 0x1u
/* With DALIZ_ENGINE_JIT: return as soon as the bundle is verified and compile on background
 * threads; the engine decides at once (the same decisions), each profile going native when it is
 * compiled. daliz_engine_native_functions says how far it has come. */
#define DALIZ_ENGINE_JIT_BACKGROUND 0x2u
DALIZ_API daliz_status daliz_engine_load_file_ex(const char* path, const daliz_trust* trust,
                                                 uint32_t flags, daliz_engine** out);
DALIZ_API daliz_status daliz_engine_load_bytes_ex(const void* bytes, size_t length,
                                                  const daliz_trust* trust, uint32_t flags,
                                                  daliz_engine** out);
DALIZ_API void daliz_engine_free(daliz_engine* engine);
/* How many of the bundle's profiles and rules run as native code now (0 without the JIT). */
DALIZ_API daliz_status daliz_engine_native_functions(const daliz_engine* engine, size_t* out);

/* The bundle's content hash (32 hex digits); owned by the engine. */
DALIZ_API daliz_status daliz_engine_content_hash(const daliz_engine* engine, const char** out);
DALIZ_API daliz_status daliz_engine_profile_count(const daliz_engine* engine, size_t* out);
/* The bundle as one JSON object, owned by the engine:
 *   {"bundle":"HASH","profiles":N,"categorize":true|false,"signers":["HEX",…],
 *    "approval":{"sequence":N,"act":"…","act_date":"YYYY-MM-DD","effective_from":"…Z"}|null,
 *    "native_functions":N}      (profiles and rules compiled by the JIT when the engine was
 *                                loaded; daliz_engine_native_functions for now) */
DALIZ_API daliz_status daliz_engine_info(const daliz_engine* engine, const char** json,
                                         size_t* length);

/* ---- sessions and decisions ---- */

DALIZ_API daliz_status daliz_session_new(daliz_engine* engine, daliz_session** out);
DALIZ_API void daliz_session_free(daliz_session* session);
/* The execution budget per declaration, in units of work (docs/limits.md): a declaration that
 * needs more gets an error decision ("budget exceeded in profile P"), DALIZ_E_INPUT, never a
 * corridor. 0 restores the default, daliz_default_budget(). */
DALIZ_API daliz_status daliz_session_set_budget(daliz_session* session, uint64_t units);
DALIZ_API uint64_t daliz_default_budget(void);
/* Whom the session's decision lines are for (docs/language.md, "Views of a decision"):
 * DALIZ_VIEW_OFFICER (the default: the decision of record), DALIZ_VIEW_DECLARANT (corridor,
 * coded measures, requested documents and notices; nothing of the profiles) or
 * DALIZ_VIEW_AUDIT. Any other value is DALIZ_E_ARGUMENT. */
#define DALIZ_VIEW_OFFICER 0
#define DALIZ_VIEW_DECLARANT 1
#define DALIZ_VIEW_AUDIT 2
DALIZ_API daliz_status daliz_session_set_view(daliz_session* session, int view);

/* Decides one declaration (one JSON object, docs/declarations.md). On DALIZ_OK and on
 * DALIZ_E_INPUT, *decision and *length are set to the decision line (no newline), owned by the
 * session until its next call. */
DALIZ_API daliz_status daliz_decide(daliz_session* session, const char* json, size_t length,
                                    const char** decision, size_t* decision_length);
/* Categorises one participant; as daliz_decide, with the line `daliz categorize` writes.
 * DALIZ_E_UNSUPPORTED when the bundle has no categorize block. */
DALIZ_API daliz_status daliz_categorize(daliz_session* session, const char* json, size_t length,
                                        const char** result, size_t* result_length);

#ifdef __cplusplus
}
#endif

#endif /* DALIZ_C_H */
