#include "vm/decode/arena.h"

#include <algorithm>
#include <new>

namespace daliz {

Arena::Arena(std::size_t chunkBytes) : chunkBytes_(std::max<std::size_t>(chunkBytes, 1024)) {
  chunks_.reserve(8);
  chunks_.push_back({newChunk(chunkBytes_), chunkBytes_});
  enter(0);
}

Arena::~Arena() {
  for (const Chunk& c : chunks_) freeChunk(c);
}

char* Arena::newChunk(std::size_t size) {
  return static_cast<char*>(::operator new(size, std::align_val_t{kMaxAlign}));
}

void Arena::freeChunk(const Chunk& c) { ::operator delete(c.data, std::align_val_t{kMaxAlign}); }

void Arena::enter(std::size_t index) {
  current_ = index;
  cursor_ = reinterpret_cast<std::uintptr_t>(chunks_[index].data);
  limit_ = cursor_ + chunks_[index].size;
}

void* Arena::allocateSlow(std::size_t n, std::size_t align) {
  (void)align;  // every chunk starts kMaxAlign-aligned
  if (n > chunkBytes_) {
    // A big allocation gets a chunk of its own, placed before the current chunk so that the
    // current chunk's free tail stays in use; reset() frees it.
    if (n > static_cast<std::size_t>(-1) / 2) throw std::bad_alloc();
    char* data = newChunk(n);
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(current_), Chunk{data, n});
    ++current_;
    usedBefore_ += n;
    return data;
  }
  // Leave the current chunk (its unused tail is lost until reset()) for the next free chunk
  // kept by reset(), or a new one.
  usedBefore_ += cursor_ - reinterpret_cast<std::uintptr_t>(chunks_[current_].data);
  if (current_ + 1 == chunks_.size()) chunks_.push_back({newChunk(chunkBytes_), chunkBytes_});
  enter(current_ + 1);
  cursor_ += n;
  return chunks_[current_].data;
}

void Arena::reset() {
  // Keep standard-size chunks (always at least one) up to kRetainedBytes; free the rest,
  // including every oversized chunk.
  std::size_t kept = 0, retained = 0;
  for (std::size_t i = 0; i < chunks_.size(); ++i) {
    const Chunk c = chunks_[i];
    if (c.size == chunkBytes_ && (kept == 0 || retained + c.size <= kRetainedBytes)) {
      chunks_[kept++] = c;
      retained += c.size;
    } else {
      freeChunk(c);
    }
  }
  chunks_.resize(kept);
  usedBefore_ = 0;
  enter(0);
}

std::size_t Arena::capacity() const {
  std::size_t total = 0;
  for (const Chunk& c : chunks_) total += c.size;
  return total;
}

std::size_t Arena::used() const {
  return usedBefore_ + (cursor_ - reinterpret_cast<std::uintptr_t>(chunks_[current_].data));
}

}  // namespace daliz
