//===- MappedFile.h - A whole file memory-mapped, copy-on-write -*- C++ -*-===//
//
// Large inputs (binary CSR graphs, feature .npy files) are mapped rather
// than read: pages come in as kernels touch them and cost no anonymous
// memory. Read-only where nothing may write (a Graph's arrays: the largest
// files, which a private writable mapping would charge to the commit
// limit); private (copy-on-write) for tensors, whose type lets code write:
// a stray write changes this process's copy of a page, never the file.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_MAPPEDFILE_H
#define GNN_RUNTIME_MAPPEDFILE_H

#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

#include <memory>
#include <string>

namespace gnn::detail {

/// Maps all of `path`; errors read "PATH: fault" on one line.
inline llvm::Expected<std::shared_ptr<llvm::sys::fs::mapped_file_region>>
mapFile(const std::string &path,
        llvm::sys::fs::mapped_file_region::mapmode mode =
            llvm::sys::fs::mapped_file_region::priv) {
  auto fail = [&](const llvm::Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": " + msg.str());
  };
  llvm::Expected<llvm::sys::fs::file_t> fd =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!fd)
    return fail("cannot read file: " + llvm::toString(fd.takeError()));
  uint64_t size = 0;
  llvm::sys::fs::file_status status;
  std::error_code ec = llvm::sys::fs::status(*fd, status);
  if (!ec)
    size = status.getSize();
  if (!ec && status.type() != llvm::sys::fs::file_type::regular_file)
    ec = std::make_error_code(std::errc::invalid_argument);
  if (ec) {
    llvm::sys::fs::closeFile(*fd);
    return fail("cannot read file: " + ec.message());
  }
  if (size == 0) {
    llvm::sys::fs::closeFile(*fd);
    return fail("file is empty");
  }
  auto region = std::make_shared<llvm::sys::fs::mapped_file_region>(
      *fd, mode, size, 0, ec);
  llvm::sys::fs::closeFile(*fd); // The mapping keeps the file open.
  if (ec)
    return fail("cannot map file: " + ec.message());
  return region;
}

} // namespace gnn::detail

#endif // GNN_RUNTIME_MAPPEDFILE_H
