#pragma once
// A bump allocator for the memory of one decoded declaration: its record cells, list item
// pointers and string bytes (docs/declarations.md). Allocation is a pointer bump; nothing is
// freed one by one. reset() makes all memory reusable at once and keeps the chunks it
// already has (up to kRetainedBytes), so decoding millions of declarations in one arena,
// with a reset() between them, does no malloc in steady state.
//
// One arena per thread: it is not thread-safe. Memory returned is uninitialized; callers
// fill every cell they use. Everything allocated stays valid until reset() or destruction.
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "vm/exec/value.h"

namespace daliz {

class Arena {
 public:
  static constexpr std::size_t kDefaultChunkBytes = 64 * 1024;
  // reset() keeps the first chunk always, and further standard-size chunks while their total
  // stays within this; it frees oversized chunks (those made for one big allocation).
  static constexpr std::size_t kRetainedBytes = 1024 * 1024;
  static constexpr std::size_t kMaxAlign = 64;

  explicit Arena(std::size_t chunkBytes = kDefaultChunkBytes);
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // n value cells (a record's fields), aligned for Value.
  Value* values(std::size_t n) {
    return static_cast<Value*>(allocate(checkedSize(n, sizeof(Value)), alignof(Value)));
  }
  // n item pointers (a list's elements).
  const Value** pointers(std::size_t n) {
    return static_cast<const Value**>(allocate(checkedSize(n, sizeof(const Value*)), alignof(const Value*)));
  }
  // n bytes of string data, unaligned. n may be 0 (a valid, unique-enough pointer).
  char* bytes(std::size_t n) { return static_cast<char*>(allocate(n, 1)); }
  // One list header.
  ListValue* list() { return static_cast<ListValue*>(allocate(sizeof(ListValue), alignof(ListValue))); }

  // Raw allocation: n bytes aligned to align (a power of two, at most kMaxAlign).
  void* allocate(std::size_t n, std::size_t align) {
    const std::uintptr_t p = (cursor_ + (align - 1)) & ~static_cast<std::uintptr_t>(align - 1);
    if (p <= limit_ && n <= limit_ - p) {
      cursor_ = p + n;
      return reinterpret_cast<void*>(p);
    }
    return allocateSlow(n, align);
  }

  // Forgets every allocation; keeps the first chunk (and more, see kRetainedBytes).
  void reset();

  // Bytes held in chunks (what the arena costs in memory), bytes handed out since the last
  // reset (including alignment padding), and the number of chunks held.
  std::size_t capacity() const;
  std::size_t used() const;
  std::size_t chunkCount() const { return chunks_.size(); }

 private:
  struct Chunk {
    char* data;
    std::size_t size;
  };
  static std::size_t checkedSize(std::size_t n, std::size_t size) {
    if (n > static_cast<std::size_t>(-1) / 2 / size) throw std::bad_alloc();
    return n * size;
  }
  void* allocateSlow(std::size_t n, std::size_t align);
  void enter(std::size_t index);
  static char* newChunk(std::size_t size);
  static void freeChunk(const Chunk& c);

  std::size_t chunkBytes_;
  std::vector<Chunk> chunks_;
  std::size_t current_ = 0;        // index of the chunk being filled
  std::size_t usedBefore_ = 0;     // bytes used in chunks before current_
  std::uintptr_t cursor_ = 0, limit_ = 0;
};

}  // namespace daliz
