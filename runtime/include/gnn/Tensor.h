//===- Tensor.h - A dense float32 array with its shape ----------*- C++ -*-===//
//
// The runtime's one container for feature matrices, weights and outputs:
// contiguous, row-major (C order), 64-byte aligned when it owns its memory
// so that rows whose byte width is a multiple of 64 start on a cache line.
// A tensor may also borrow a caller's array (Tensor::borrow), unaligned.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_TENSOR_H
#define GNN_TENSOR_H

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <sys/mman.h>

namespace gnn {

/// Frees memory from std::aligned_alloc; leaves a borrowed view alone, or
/// drops its hold on the memory's owner (a mapped file) when it has one.
struct AlignedFree {
  bool owned = true;
  std::shared_ptr<const void> keepAlive;
  void operator()(void *p) const {
    if (owned)
      std::free(p);
  }
};

/// An owned, 64-byte aligned, uninitialised array of T.
template <typename T> class AlignedArray {
public:
  AlignedArray() = default;
  explicit AlignedArray(size_t count) : count(count) {
    // Large arrays get 2 MiB alignment and transparent huge pages: the
    // first write to a fresh buffer otherwise takes one page fault per
    // 4 KiB, which costs more than the kernel that writes it.
    constexpr size_t kHuge = size_t(2) << 20;
    size_t bytes = count * sizeof(T);
    size_t align = bytes >= 2 * kHuge ? kHuge : 64;
    bytes = ((bytes + align - 1) / align) * align;
    data_.reset(static_cast<T *>(std::aligned_alloc(align, bytes ? bytes : 64)));
    if (!data_)
      throw std::bad_alloc();
    if (align == kHuge)
      madvise(data_.get(), bytes, MADV_HUGEPAGE);
  }
  /// A view of `count` elements that someone else owns and frees, such as
  /// a numpy array the Python module lends to one run: no copy. It is
  /// only as aligned as the owner made it; the kernels need no more than
  /// the element's alignment (their loads are align 4). The owner keeps
  /// the memory alive while the view is.
  static AlignedArray borrow(T *data, size_t count) {
    AlignedArray view;
    view.data_ = std::unique_ptr<T, AlignedFree>(data, AlignedFree{false});
    view.count = count;
    return view;
  }
  /// A view of `count` elements inside memory that `owner` keeps alive
  /// (a memory-mapped file): no copy; the view holds the owner until it
  /// goes, so the arrays of one file may outlive the loader that mapped it.
  static AlignedArray share(T *data, size_t count,
                            std::shared_ptr<const void> owner) {
    AlignedArray view;
    view.data_ = std::unique_ptr<T, AlignedFree>(
        data, AlignedFree{false, std::move(owner)});
    view.count = count;
    return view;
  }
  T *data() { return data_.get(); }
  const T *data() const { return data_.get(); }
  size_t size() const { return count; }
  T &operator[](size_t i) { return data_.get()[i]; }
  const T &operator[](size_t i) const { return data_.get()[i]; }

private:
  std::unique_ptr<T, AlignedFree> data_;
  size_t count = 0;
};

/// A float32 tensor of any rank, row-major.
struct Tensor {
  std::vector<int64_t> shape;
  AlignedArray<float> values;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)) {
    values = AlignedArray<float>(numElements());
  }
  /// A tensor over memory owned elsewhere (AlignedArray::borrow).
  static Tensor borrow(float *data, std::vector<int64_t> shape) {
    Tensor t;
    t.shape = std::move(shape);
    t.values = AlignedArray<float>::borrow(data, t.numElements());
    return t;
  }
  /// A tensor over memory that `owner` keeps alive (AlignedArray::share).
  static Tensor share(float *data, std::vector<int64_t> shape,
                      std::shared_ptr<const void> owner) {
    Tensor t;
    t.shape = std::move(shape);
    t.values = AlignedArray<float>::share(data, t.numElements(),
                                          std::move(owner));
    return t;
  }
  size_t numElements() const {
    size_t n = 1;
    for (int64_t d : shape)
      n *= static_cast<size_t>(d);
    return n;
  }
  float *data() { return values.data(); }
  const float *data() const { return values.data(); }
};

/// "[2, 3]" for error messages.
std::string formatShape(const std::vector<int64_t> &shape);

/// What is wrong with a tensor given through the API, or "" if nothing: a
/// negative dimension, storage that holds another count of values than its
/// shape needs, or no storage at all for a non-empty shape. The entry
/// points that read a caller's tensor check it first.
std::string describeBadStorage(const Tensor &t);

} // namespace gnn

#endif // GNN_TENSOR_H
