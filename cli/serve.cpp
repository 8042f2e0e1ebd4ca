// daliz serve: the engine as an HTTP service (docs/serve.md; service/server.h).
#include "assign/assignment.h"
#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "service/server.h"

namespace daliz::cli {

int runServe(const Options& o, const ServeOptions& s) {
  if (o.trust.empty() && !s.insecureDev) {
    printError(Diag::ServeNeedsTrust);
    return 1;
  }
  if (!o.trust.empty() && s.insecureDev) {
    printError(Diag::OptionsExclude, {"--trust", "--insecure-dev"});
    return 1;
  }
  service::ServerOptions so;
  so.bundles = o.bundle;
  auto policy = trustPolicy(o);
  if (!policy) return 1;
  so.policy =
      api::TrustPolicy{policy->trusted, policy->required, policy->allowUnsigned, policy->hostKey};
  const size_t colon = s.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    try {
      size_t used = 0;
      port = std::stoi(s.listen.substr(colon + 1), &used);
      if (used != s.listen.size() - colon - 1) port = -1;
    } catch (...) {
      port = -1;
    }
  }
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    printError(Diag::BadOptionValue,
               {"--listen", "HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks a free one)", s.listen});
    return 1;
  }
  so.host = s.listen.substr(0, colon);
  so.port = port;
  so.workers = s.workers;
  so.queue = s.queue;
  so.connections = s.connections;
  so.maxBodyBytes = s.maxBody;
  so.deadlineMs = s.deadlineMs;
  so.planWindow = s.planWindow;
  so.pollMs = std::max(10u, s.pollMs);
  so.adminTokenFile = s.adminTokenFile;
  so.budget = o.budget;
  so.engine.jit = o.jit;
  so.engine.jitInBackground = o.jit;  // ready at once; profiles go native as they compile
  so.log = s.log.path;
  so.logInputs = !s.log.noInput;
  so.logMaxBytes = s.log.maxBytes;
  so.logSyncMs = s.log.syncMs;
  if (!s.assign.officers.empty()) {
    so.assigner = loadAssigner(s.assign);
    if (!so.assigner) return 1;
    so.assignState = s.assign.state;
  }
  return service::runServer(so);
}

}  // namespace daliz::cli
