//===- GroupCache.h - Per-group facts, computed once ------------*- C++ -*-===//
//
// Passes ask the same questions of the same few groups for every operation;
// with thousands of devices per group, recomputing them per operation would
// make compile time grow with the device count. GroupCache answers each in
// constant time after one linear pass over the group.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_IR_GROUPCACHE_H
#define HETU_DIALECT_HETU_IR_GROUPCACHE_H

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>

namespace mlir::hetu {

class GroupCache {
public:
  struct Info {
    SmallVector<GroupAttr::Entry> workers;
    /// Devices per worker (1 for single devices and server-only groups);
    /// -1 when workers differ in size.
    int64_t workerSize = 1;
    llvm::DenseMap<Attribute, GroupAttr::Position> positions;
  };

  const Info &get(GroupAttr group) {
    std::unique_ptr<Info> &slot = infos[group];
    if (!slot) {
      slot = std::make_unique<Info>();
      int64_t replica = 0, server = 0;
      std::optional<int64_t> size;
      for (auto [i, entry] : llvm::enumerate(group.getEntries())) {
        bool worker = entry.isWorker();
        for (auto [pos, device] : llvm::enumerate(entry.devices))
          slot->positions[device] = GroupAttr::Position{
              static_cast<int64_t>(i), worker ? replica : -1,
              worker ? -1 : server, static_cast<int64_t>(pos)};
        if (worker) {
          slot->workers.push_back(entry);
          int64_t n = entry.devices.size();
          slot->workerSize = size && *size != n ? -1 : n;
          size = n;
          ++replica;
        } else {
          ++server;
        }
      }
    }
    return *slot;
  }

  int64_t numWorkers(GroupAttr group) { return get(group).workers.size(); }
  int64_t devicesPerWorker(GroupAttr group) { return get(group).workerSize; }
  std::optional<GroupAttr::Position> position(GroupAttr group,
                                              DeviceAttr device) {
    const Info &info = get(group);
    auto it = info.positions.find(device);
    if (it == info.positions.end())
      return std::nullopt;
    return it->second;
  }

private:
  llvm::DenseMap<Attribute, std::unique_ptr<Info>> infos;
};

} // namespace mlir::hetu

#endif // HETU_DIALECT_HETU_IR_GROUPCACHE_H
