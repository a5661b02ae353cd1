//===- Pages.h - Mapping and giving back the pages of large arrays -*- C++ -*-===//
//
// A run over a graph near the machine's memory (RunOptions::releaseMemory)
// maps each result's pages just before the step that writes it, gives them
// back after the last step that reads it, and drops the pages of mapped
// input files that no later step reads, so that its peak is the widest
// step's, not the sum of everything it ever touched.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_PAGES_H
#define GNN_RUNTIME_PAGES_H

#include <cstddef>

namespace gnn::detail {

/// Maps the pages of fresh memory [p, p + bytes) before kernels write it.
void prefault(void *p, size_t bytes);

/// Drops the whole pages inside [p, p + bytes) (MADV_DONTNEED); pages
/// only partly inside stay, since they may hold a neighbour's live bytes.
/// Only for memory whose bytes are dead (anonymous pages read as zeros
/// afterwards) or a read-only shared file mapping (pages are read again
/// from the page cache or the file when next touched).
void dropPages(const void *p, size_t bytes);

/// Has the kernel reclaim the whole pages inside [p, p + bytes) now
/// (MADV_PAGEOUT), keeping their contents whatever the memory: a private
/// file mapping's unwritten pages are read again from the file, anonymous
/// or written pages go to swap (or stay, without swap). For inputs that
/// no later step reads. Does nothing where the kernel lacks it.
void pageOut(const void *p, size_t bytes);

} // namespace gnn::detail

#endif // GNN_RUNTIME_PAGES_H
