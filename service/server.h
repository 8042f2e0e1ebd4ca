#pragma once
// `daliz serve`: the engine as an HTTP/1.1 JSON service (docs/serve.md), on cpp-httplib.
//
//   POST /v1/decide          one declaration → its decision
//   POST /v1/decide/batch    JSON Lines → JSON Lines, in order
//   POST /v1/categorize      one participant → its category
//   GET  /v1/bundle          the active bundle: hash, sequence, profiles, signers, loaded-at
//   GET  /healthz, /readyz   alive; ready once an approved bundle is active
//   GET  /metrics            Prometheus text format
//   POST /v1/admin/reload    rescan the bundles now (Authorization: Bearer TOKEN)
//   POST /v1/assign          decisions (JSON Lines) → their officers (docs/assign.md), with
//                            --officers
//
// Bundles are reloaded without downtime on a change in the bundle folder, on SIGHUP and on the
// admin endpoint; SIGTERM (or SIGINT) drains the requests in flight and returns 0.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "daliz/daliz.h"

namespace daliz::assign {
class Assigner;
}

namespace daliz::service {

struct ServerOptions {
  std::string bundles;        // a bundle file, or a folder of *.bundle files
  api::TrustPolicy policy;    // which bundles may run
  api::EngineOptions engine;  // how they run (EngineOptions::jit: compiled when loaded)
  std::string host = "127.0.0.1";
  int port = 8080;            // 0: any free port (the one chosen is announced on stderr)
  unsigned workers = 0;       // decisions at once (0: the number of cores)
  unsigned queue = 64;        // requests that may wait for a worker beyond those deciding
  unsigned connections = 64;  // connections served at once; more wait to be accepted
  size_t maxBodyBytes = 64u << 20;
  unsigned deadlineMs = 2000;  // the longest a request waits for a worker before 503
  size_t planWindow = 10000;   // the last decisions the plan gauges cover (docs/serve.md)
  unsigned pollMs = 1000;      // how often effective-from times and the folder are checked
  std::string adminTokenFile;  // admin endpoints are off without it
  uint64_t budget = 0;         // work per declaration (0: api::Session::defaultBudget())
  std::string log;             // the decision log ("" : none)
  bool logInputs = true;
  uint64_t logMaxBytes = 256ull << 20;
  unsigned logSyncMs = 100;
  // POST /v1/assign: the assigner (null: the endpoint answers 404), and the file its state is
  // saved to after each request ("" : kept in memory only).
  std::shared_ptr<assign::Assigner> assigner;
  std::string assignState;
  // Called once the server listens, with the port (for tests and the CLI's announcement).
  std::function<void(int port)> onListening;
};

// Runs the service until SIGTERM or SIGINT; returns the process exit code (0 after a drain, 1
// when it cannot start: the port is taken, the log cannot be opened, the token file is empty…).
// Messages go to stderr, one line each.
int runServer(const ServerOptions& options);

}  // namespace daliz::service
