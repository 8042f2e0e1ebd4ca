// The C ABI (include/daliz/daliz_c.h) over the C++ embedding API. Every entry point checks its
// handles against the registry of live ones and catches every exception: nothing a caller
// passes can crash the host process or unwind through C frames.
#include "daliz/daliz_c.h"

#include <atomic>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <string>
#include <unordered_set>

#include "daliz/daliz.h"
#include "vm/exec/decision.h"

struct daliz_trust {
  daliz::api::TrustPolicy policy;
};

struct daliz_engine {
  std::shared_ptr<const daliz::api::Engine> engine;
  std::string info;  // daliz_engine_info's JSON, made at load
};

struct daliz_session {
  explicit daliz_session(std::shared_ptr<const daliz::api::Engine> e) : session(std::move(e)) {}
  daliz::api::Session session;
  std::string output;  // the last decision or category line
  std::atomic<bool> busy{false};
};

namespace {

thread_local std::string lastError;

// The handles this library made and has not freed. A pointer that is not in it (null, freed,
// or never ours) is refused before it is dereferenced.
class Registry {
 public:
  void add(const void* p) {
    std::unique_lock lock(mutex_);
    live_.insert(p);
  }
  bool remove(const void* p) {
    std::unique_lock lock(mutex_);
    return live_.erase(p) == 1;
  }
  bool contains(const void* p) const {
    std::shared_lock lock(mutex_);
    return live_.count(p) == 1;
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_set<const void*> live_;
};

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: handles may be freed at exit
  return *r;
}

daliz_status fail(daliz_status status, std::string message) {
  lastError = std::move(message);
  return status;
}

daliz_status ok() {
  lastError.clear();
  return DALIZ_OK;
}

// Runs `body`, turning any exception into a status and a message.
template <typename Body>
daliz_status guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(DALIZ_E_NOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(DALIZ_E_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(DALIZ_E_INTERNAL, "internal error: unknown exception");
  }
}

template <typename Handle>
bool live(const Handle* h) {
  return h != nullptr && registry().contains(h);
}

daliz_status badHandle(const char* what) {
  return fail(DALIZ_E_ARGUMENT,
              std::string("invalid ") + what + " handle (null, freed, or not made by daliz)");
}

daliz_status nullArgument(const char* what) {
  return fail(DALIZ_E_ARGUMENT, std::string(what) + " is null");
}

std::string engineInfo(const daliz::api::Engine& e) {
  std::string j = "{\"bundle\":\"" + e.contentHash() +
                  "\",\"profiles\":" + std::to_string(e.profileCount()) +
                  ",\"categorize\":" + (e.canCategorize() ? "true" : "false") + ",\"signers\":[";
  for (size_t i = 0; i < e.signers().size(); ++i) j += (i ? ",\"" : "\"") + e.signers()[i] + "\"";
  j += "],\"approval\":";
  if (const auto& a = e.approval()) {
    j += "{\"sequence\":" + std::to_string(a->sequence) + ",\"act\":";
    daliz::appendJsonString(j, a->act);  // the only free text
    j +=
        ",\"act_date\":\"" + a->actDate + "\",\"effective_from\":\"" + a->effectiveFromText + "\"}";
  } else {
    j += "null";
  }
  return j + ",\"native_functions\":" + std::to_string(e.compiledFunctions()) + "}";
}

// The EngineOptions of daliz_engine_load_*_ex's flags; false for a bit this ABI does not know.
bool engineOptions(uint32_t flags, daliz::api::EngineOptions& options) {
  if ((flags & ~uint32_t{DALIZ_ENGINE_JIT | DALIZ_ENGINE_JIT_BACKGROUND}) != 0) return false;
  options.jit = (flags & DALIZ_ENGINE_JIT) != 0;
  options.jitInBackground = (flags & DALIZ_ENGINE_JIT_BACKGROUND) != 0;
  return !options.jitInBackground || options.jit;  // background says how, not whether
}

daliz_status load(const std::shared_ptr<const daliz::api::Engine>& engine, const std::string& error,
                  daliz::api::LoadFailure failure, daliz_engine** out) {
  if (!engine) {
    switch (failure) {
      case daliz::api::LoadFailure::Unreadable:
        return fail(DALIZ_E_IO, error);
      case daliz::api::LoadFailure::Refused:
        return fail(DALIZ_E_REFUSED, "bundle refused: " + error);
      case daliz::api::LoadFailure::Invalid:
        return fail(DALIZ_E_BUNDLE, error);
    }
    return fail(DALIZ_E_BUNDLE, error);
  }
  auto* handle = new daliz_engine{engine, engineInfo(*engine)};
  registry().add(handle);
  *out = handle;
  return ok();
}

// Marks a session busy for one call; a second thread in the same session is refused.
class SessionUse {
 public:
  explicit SessionUse(daliz_session* s) : s_(s), owned_(!s->busy.exchange(true)) {}
  ~SessionUse() {
    if (owned_) s_->busy.store(false);
  }
  bool owned() const { return owned_; }

 private:
  daliz_session* s_;
  bool owned_;
};

template <typename Answer>
daliz_status answer(daliz_session* session, const char* json, size_t length, const char** out,
                    size_t* outLength, Answer&& compute) {
  if (!live(session)) return badHandle("session");
  if (json == nullptr && length > 0) return nullArgument("the input");
  if (out == nullptr || outLength == nullptr) return nullArgument("the output pointer");
  SessionUse use(session);
  if (!use.owned())
    return fail(DALIZ_E_BUSY, "the session is in use by another thread: give each thread its own");
  return compute(std::string_view(json == nullptr ? "" : json, length));
}

}  // namespace

extern "C" {

const char* daliz_version(void) { return daliz::api::version(); }
int daliz_abi_version(void) { return DALIZ_ABI_VERSION; }
uint32_t daliz_bundle_format_version(void) { return daliz::api::bundleFormatVersion(); }
const char* daliz_last_error(void) { return lastError.c_str(); }

const char* daliz_status_name(daliz_status status) {
  switch (status) {
    case DALIZ_OK:
      return "DALIZ_OK";
    case DALIZ_E_ARGUMENT:
      return "DALIZ_E_ARGUMENT";
    case DALIZ_E_IO:
      return "DALIZ_E_IO";
    case DALIZ_E_REFUSED:
      return "DALIZ_E_REFUSED";
    case DALIZ_E_BUNDLE:
      return "DALIZ_E_BUNDLE";
    case DALIZ_E_INPUT:
      return "DALIZ_E_INPUT";
    case DALIZ_E_UNSUPPORTED:
      return "DALIZ_E_UNSUPPORTED";
    case DALIZ_E_BUSY:
      return "DALIZ_E_BUSY";
    case DALIZ_E_NOMEM:
      return "DALIZ_E_NOMEM";
    case DALIZ_E_INTERNAL:
      return "DALIZ_E_INTERNAL";
  }
  return "unknown status";
}

daliz_status daliz_trust_new(size_t required, daliz_trust** out) {
  return guarded([&] {
    if (out == nullptr) return nullArgument("the output pointer");
    *out = nullptr;
    if (required == 0)
      return fail(DALIZ_E_ARGUMENT,
                  "a trust policy requires at least 1 signature (daliz_trust_new_development "
                  "accepts unsigned bundles)");
    auto* t = new daliz_trust{};
    t->policy.required = required;
    registry().add(t);
    *out = t;
    return ok();
  });
}

daliz_status daliz_trust_new_development(daliz_trust** out) {
  return guarded([&] {
    if (out == nullptr) return nullArgument("the output pointer");
    auto* t = new daliz_trust{daliz::api::TrustPolicy::development()};
    registry().add(t);
    *out = t;
    return ok();
  });
}

daliz_status daliz_trust_add_key_hex(daliz_trust* trust, const char* hex) {
  return guarded([&] {
    if (!live(trust)) return badHandle("trust policy");
    if (hex == nullptr) return nullArgument("the key");
    if (!trust->policy.addKeyHex(hex))
      return fail(DALIZ_E_ARGUMENT, "not a public key: expected 64 hex digits");
    return ok();
  });
}

daliz_status daliz_trust_add_key_file(daliz_trust* trust, const char* path) {
  return guarded([&] {
    if (!live(trust)) return badHandle("trust policy");
    if (path == nullptr) return nullArgument("the path");
    std::string error;
    if (!trust->policy.addKeyFile(path, error)) return fail(DALIZ_E_IO, error);
    return ok();
  });
}

daliz_status daliz_trust_set_host_key_file(daliz_trust* trust, const char* path) {
  return guarded([&] {
    if (!live(trust)) return badHandle("trust policy");
    if (path == nullptr) return nullArgument("the path");
    std::string error;
    if (!trust->policy.setHostKeyFile(path, error)) return fail(DALIZ_E_IO, error);
    return ok();
  });
}

void daliz_trust_free(daliz_trust* trust) {
  if (trust != nullptr && registry().remove(trust)) delete trust;
}

daliz_status daliz_engine_load_file(const char* path, const daliz_trust* trust,
                                    daliz_engine** out) {
  return daliz_engine_load_file_ex(path, trust, 0, out);
}

daliz_status daliz_engine_load_file_ex(const char* path, const daliz_trust* trust, uint32_t flags,
                                       daliz_engine** out) {
  return guarded([&] {
    if (out == nullptr) return nullArgument("the output pointer");
    *out = nullptr;
    if (path == nullptr) return nullArgument("the path");
    if (!live(trust)) return badHandle("trust policy");
    daliz::api::EngineOptions options;
    if (!engineOptions(flags, options)) return fail(DALIZ_E_ARGUMENT, "unknown engine flags");
    std::string error;
    auto failure = daliz::api::LoadFailure::Invalid;
    auto engine = daliz::api::Engine::loadFile(path, trust->policy, options, error, &failure);
    return load(engine, error, failure, out);
  });
}

daliz_status daliz_engine_load_bytes(const void* bytes, size_t length, const daliz_trust* trust,
                                     daliz_engine** out) {
  return daliz_engine_load_bytes_ex(bytes, length, trust, 0, out);
}

daliz_status daliz_engine_load_bytes_ex(const void* bytes, size_t length, const daliz_trust* trust,
                                        uint32_t flags, daliz_engine** out) {
  return guarded([&] {
    if (out == nullptr) return nullArgument("the output pointer");
    *out = nullptr;
    if (bytes == nullptr && length > 0) return nullArgument("the bytes");
    if (!live(trust)) return badHandle("trust policy");
    daliz::api::EngineOptions options;
    if (!engineOptions(flags, options)) return fail(DALIZ_E_ARGUMENT, "unknown engine flags");
    std::string error;
    auto failure = daliz::api::LoadFailure::Invalid;
    std::string_view view(bytes == nullptr ? "" : static_cast<const char*>(bytes), length);
    auto engine = daliz::api::Engine::loadBytes(view, trust->policy, options, error, &failure);
    return load(engine, error, failure, out);
  });
}

void daliz_engine_free(daliz_engine* engine) {
  if (engine != nullptr && registry().remove(engine)) delete engine;
}

daliz_status daliz_engine_content_hash(const daliz_engine* engine, const char** out) {
  return guarded([&] {
    if (!live(engine)) return badHandle("engine");
    if (out == nullptr) return nullArgument("the output pointer");
    *out = engine->engine->contentHash().c_str();
    return ok();
  });
}

daliz_status daliz_engine_profile_count(const daliz_engine* engine, size_t* out) {
  return guarded([&] {
    if (!live(engine)) return badHandle("engine");
    if (out == nullptr) return nullArgument("the output pointer");
    *out = engine->engine->profileCount();
    return ok();
  });
}

daliz_status daliz_engine_native_functions(const daliz_engine* engine, size_t* out) {
  return guarded([&] {
    if (!live(engine)) return badHandle("engine");
    if (out == nullptr) return nullArgument("the output pointer");
    *out = engine->engine->compiledFunctions();
    return ok();
  });
}

daliz_status daliz_engine_info(const daliz_engine* engine, const char** json, size_t* length) {
  return guarded([&] {
    if (!live(engine)) return badHandle("engine");
    if (json == nullptr || length == nullptr) return nullArgument("the output pointer");
    *json = engine->info.c_str();
    *length = engine->info.size();
    return ok();
  });
}

daliz_status daliz_session_new(daliz_engine* engine, daliz_session** out) {
  return guarded([&] {
    if (out == nullptr) return nullArgument("the output pointer");
    *out = nullptr;
    if (!live(engine)) return badHandle("engine");
    auto* s = new daliz_session(engine->engine);
    registry().add(s);
    *out = s;
    return ok();
  });
}

uint64_t daliz_default_budget(void) { return daliz::api::Session::defaultBudget(); }

daliz_status daliz_session_set_budget(daliz_session* session, uint64_t units) {
  return guarded([&] {
    if (!live(session)) return badHandle("session");
    SessionUse use(session);
    if (!use.owned()) return fail(DALIZ_E_BUSY, "the session is in use by another thread");
    session->session.setBudget(units == 0 ? daliz::api::Session::defaultBudget() : units);
    return ok();
  });
}

daliz_status daliz_session_set_view(daliz_session* session, int view) {
  return guarded([&] {
    if (!live(session)) return badHandle("session");
    if (view < DALIZ_VIEW_OFFICER || view > DALIZ_VIEW_AUDIT)
      return fail(DALIZ_E_ARGUMENT, "view " + std::to_string(view) +
                                        " is not DALIZ_VIEW_OFFICER, _DECLARANT or _AUDIT");
    SessionUse use(session);
    if (!use.owned()) return fail(DALIZ_E_BUSY, "the session is in use by another thread");
    session->session.setView(static_cast<daliz::api::View>(view));
    return ok();
  });
}

void daliz_session_free(daliz_session* session) {
  if (session != nullptr && registry().remove(session)) delete session;
}

daliz_status daliz_decide(daliz_session* session, const char* json, size_t length,
                          const char** decision, size_t* decisionLength) {
  return guarded([&] {
    return answer(session, json, length, decision, decisionLength, [&](std::string_view input) {
      daliz::api::Decision d = session->session.decide(input);
      session->output = std::move(d.json);
      *decision = session->output.c_str();
      *decisionLength = session->output.size();
      return d.ok ? ok() : fail(DALIZ_E_INPUT, d.error);
    });
  });
}

daliz_status daliz_categorize(daliz_session* session, const char* json, size_t length,
                              const char** result, size_t* resultLength) {
  return guarded([&] {
    return answer(session, json, length, result, resultLength, [&](std::string_view input) {
      if (!session->session.engine()->canCategorize())
        return fail(DALIZ_E_UNSUPPORTED, "the bundle has no categorize block");
      daliz::api::Category c = session->session.categorize(input);
      session->output = std::move(c.json);
      *result = session->output.c_str();
      *resultLength = session->output.size();
      return c.ok ? ok() : fail(DALIZ_E_INPUT, c.error);
    });
  });
}

}  // extern "C"
