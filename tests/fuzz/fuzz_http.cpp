// libFuzzer target: raw bytes as an HTTP request to a real `daliz serve` running in this process
// (127.0.0.1, a free port, a small bundle): the request parser of cpp-httplib and every handler of
// the service. Each input is sent on a new connection, which is then half-closed, and the answer
// read until the server closes. The server must answer or close, never crash or stall.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "compiler/driver/frontend.h"
#include "compiler/driver/pipeline.h"
#include "service/server.h"
#include "vm/bundle/bundle_writer.h"

namespace {

std::atomic<int> port{0};

void startServer() {
  static bool started = false;
  if (started) return;
  started = true;
  const std::string dir = "/tmp/daliz-fuzz-http-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  daliz::FrontendOptions f;
  f.texts.emplace_back(
      "p.dlz",
      R"(profile "H-1" { level high  scope item i  when i.origin == "AF"  measures documentary_check })");
  auto c = daliz::runFrontend(f);
  std::string error;
  auto program = daliz::buildProgram(*c, daliz::CodegenOptions{}, error);
  if (!program) __builtin_trap();
  std::ofstream(dir + "/a.bundle", std::ios::binary) << daliz::writeBundle(*program);
  std::ofstream(dir + "/token") << "fuzz-admin-token-0123456789\n";
  std::thread([dir] {
    daliz::service::ServerOptions o;
    o.bundles = dir;
    o.policy = daliz::api::TrustPolicy::development();
    o.port = 0;
    o.workers = 1;
    o.maxBodyBytes = 1 << 20;
    o.adminTokenFile = dir + "/token";
    o.onListening = [](int p) { port = p; };
    daliz::service::runServer(o);
  }).detach();
  for (int k = 0; k < 10000 && port == 0; ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (port == 0) __builtin_trap();
}

}  // namespace

// libFuzzer's timeout alarm (SIGALRM) interrupts system calls: every call here retries on EINTR.
bool connectTo(int fd, const sockaddr_in& a) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0) return true;
  if (errno != EINTR) return false;
  pollfd p{fd, POLLOUT, 0};  // the connection goes on in the background: wait for it
  while (::poll(&p, 1, 10000) < 0 && errno == EINTR) {
  }
  int error = 0;
  socklen_t len = sizeof error;
  return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  startServer();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port.load()));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!connectTo(fd, a)) {
    std::perror("fuzz_http: cannot connect to the server");  // it is gone
    __builtin_trap();
  }
  for (size_t sent = 0; sent < size;) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  // Read until the server closes; 10 s without a byte is a stall.
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 1000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      if (std::chrono::steady_clock::now() < deadline) continue;
      std::fprintf(stderr, "fuzz_http: no answer and no close within 10 s\n");
      __builtin_trap();
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
  }
  ::close(fd);
  return 0;
}
