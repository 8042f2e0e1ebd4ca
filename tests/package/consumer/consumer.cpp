// Uses the installed C++ embedding API: decides one declaration read from stdin.
#include <daliz/daliz.h>
#include <daliz/version.h>

#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) return 1;
  std::string error;
  auto engine =
      daliz::api::Engine::loadFile(argv[1], daliz::api::TrustPolicy::development(), error);
  if (!engine) {
    std::cerr << error << "\n";
    return 1;
  }
  daliz::api::Session session(engine);
  std::string line(std::istreambuf_iterator<char>(std::cin), {});
  if (!line.empty() && line.back() == '\n') line.pop_back();
  std::cout << session.decide(line).json << "\n";
  std::cerr << "daliz " << DALIZ_VERSION << " (" << daliz::api::version() << ")\n";
  return 0;
}
