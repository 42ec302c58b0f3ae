//===- ModelFormat.cpp - A compiled model's metadata as text --------------===//
//
// What hetu-compile embeds in the shared object and hetu-launch and the
// session library read back: checked line by line, then as a whole
// (validateModel), so that metadata from anywhere else is an error, never a
// crash.
//
//===----------------------------------------------------------------------===//

#include "Runner.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

using namespace hetu::run;

//===----------------------------------------------------------------------===//
// Metadata text: one record per line, fields separated by spaces.
//===----------------------------------------------------------------------===//

// Version 2: programs of ranks on a CPU are compiled for the host (they
// get host buffers), which a version-1 CUDA model did not do.
static const char *const kMagic = "hetu-model 3";

static void writeList(std::ostringstream &os, const std::vector<int64_t> &v) {
  os << " " << v.size();
  for (int64_t x : v)
    os << " " << x;
}

std::string hetu::run::serializeModel(const Model &m) {
  std::ostringstream os;
  os << kMagic << "\n";
  os << "entry " << m.entry << "\n";
  os << "target " << m.target << "\n";
  if (!m.chip.empty())
    os << "chip " << m.chip << "\n";
  os << "replicas " << m.numReplicas << "\n";
  if (!m.referenceSymbol.empty())
    os << "reference " << m.referenceSymbol << "\n";
  if (!m.referenceApplySymbol.empty())
    os << "reference_apply " << m.referenceApplySymbol << "\n";
  if (!m.referenceF64Symbol.empty())
    os << "reference_f64 " << m.referenceF64Symbol << "\n";
  if (!m.referenceF64ApplySymbol.empty())
    os << "reference_f64_apply " << m.referenceF64ApplySymbol << "\n";
  for (const GlobalValue &g : m.gradients) {
    os << "gradient " << static_cast<int>(g.element);
    writeList(os, g.shape);
    os << "\n";
  }
  for (const std::string &d : m.rankDevices)
    os << "device " << d << "\n";
  for (const GlobalValue &g : m.args) {
    os << "arg " << static_cast<int>(g.element) << " " << g.trainable;
    writeList(os, g.shape);
    os << "\n";
  }
  for (const GlobalValue &g : m.results) {
    os << "result " << static_cast<int>(g.element);
    writeList(os, g.shape);
    os << "\n";
  }
  for (auto &[j, a] : m.updates)
    os << "update " << j << " " << a << "\n";
  for (size_t a = 0; a < m.args.size(); ++a)
    if (m.args[a].zeroInit)
      os << "zero_init " << a << "\n";
  for (int64_t owner : m.replicaOwners)
    os << "owner " << owner << "\n";
  for (const RankProgram &p : m.programs) {
    os << "program " << p.rank << " " << p.name << "\n";
    for (bool result : {false, true})
      for (const Slot &s : result ? p.results : p.args) {
        os << (result ? "out " : "in ") << s.index << " " << s.replica << " "
           << s.position << " " << static_cast<int>(s.element);
        writeList(os, s.offsets);
        writeList(os, s.localShape);
        os << "\n";
      }
  }
  return os.str();
}

bool hetu::run::parseModel(const std::string &text, Model &m,
                           std::string &error) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) {
    error = "not a hetu model (expected '" + std::string(kMagic) + "')";
    return false;
  }
  int lineNo = 1;
  auto fail = [&](const std::string &why) {
    error = "model metadata line " + std::to_string(lineNo) + ": " + why;
    return false;
  };
  auto readList = [](std::istringstream &ls, std::vector<int64_t> &v) {
    size_t n = 0;
    if (!(ls >> n) || n > 64)
      return false;
    v.resize(n);
    for (int64_t &x : v)
      if (!(ls >> x))
        return false;
    return true;
  };
  auto element = [](int e, Element &out) {
    if (e < 0 || e > static_cast<int>(Element::I64))
      return false;
    out = static_cast<Element>(e);
    return true;
  };
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty())
      continue;
    std::istringstream ls(line);
    std::string kind;
    ls >> kind;
    int e = 0;
    if (kind == "entry") {
      ls >> m.entry;
    } else if (kind == "target") {
      ls >> m.target;
      if (m.target != "cpu" && m.target != "cuda")
        return fail("unknown target '" + m.target + "'");
    } else if (kind == "chip") {
      ls >> m.chip;
    } else if (kind == "reference") {
      ls >> m.referenceSymbol;
    } else if (kind == "reference_apply") {
      ls >> m.referenceApplySymbol;
    } else if (kind == "reference_f64") {
      ls >> m.referenceF64Symbol;
    } else if (kind == "reference_f64_apply") {
      ls >> m.referenceF64ApplySymbol;
    } else if (kind == "gradient") {
      GlobalValue g;
      if (!(ls >> e) || !element(e, g.element) || !readList(ls, g.shape))
        return fail("bad gradient");
      m.gradients.push_back(g);
    } else if (kind == "replicas") {
      if (!(ls >> m.numReplicas) || m.numReplicas < 1)
        return fail("bad replica count");
    } else if (kind == "device") {
      std::string d;
      if (!(ls >> d))
        return fail("bad device");
      m.rankDevices.push_back(d);
    } else if (kind == "arg" || kind == "result") {
      GlobalValue g;
      if (!(ls >> e) || !element(e, g.element))
        return fail("bad element type");
      if (kind == "arg" && !(ls >> g.trainable))
        return fail("bad trainable flag");
      if (!readList(ls, g.shape))
        return fail("bad shape");
      (kind == "arg" ? m.args : m.results).push_back(g);
    } else if (kind == "update") {
      int64_t j = 0, a = 0;
      if (!(ls >> j >> a))
        return fail("bad update");
      m.updates[j] = a;
    } else if (kind == "zero_init") {
      size_t a = 0;
      if (!(ls >> a) || a >= m.args.size())
        return fail("bad zero_init");
      m.args[a].zeroInit = true;
    } else if (kind == "owner") {
      int64_t o = 0;
      if (!(ls >> o))
        return fail("bad owner");
      m.replicaOwners.push_back(o);
    } else if (kind == "program") {
      RankProgram p;
      if (!(ls >> p.rank >> p.name))
        return fail("bad program");
      m.programs.push_back(p);
    } else if (kind == "in" || kind == "out") {
      if (m.programs.empty())
        return fail("slot before any program");
      Slot s;
      if (!(ls >> s.index >> s.replica >> s.position >> e) ||
          !element(e, s.element) || !readList(ls, s.offsets) ||
          !readList(ls, s.localShape))
        return fail("bad slot");
      (kind == "in" ? m.programs.back().args : m.programs.back().results)
          .push_back(s);
    } else {
      return fail("unknown record '" + kind + "'");
    }
  }
  return validateModel(m, error);
}

bool hetu::run::validateModel(const Model &m, std::string &error) {
  auto fail = [&](const std::string &why) {
    error = "inconsistent model metadata: " + why;
    return false;
  };
  if (m.referenceApplySymbol.empty() != m.gradients.empty())
    return fail("a two-phase reference needs both its update function and "
                "its gradients");
  if (!m.referenceF64Symbol.empty() &&
      (m.referenceSymbol.empty() ||
       m.referenceF64ApplySymbol.empty() != m.referenceApplySymbol.empty()))
    return fail("the f64 reference does not match the reference");
  int64_t numRanks = m.rankDevices.size();
  if (numRanks < 1 || m.numReplicas < 1)
    return fail("no ranks or replicas");
  auto checkShape = [&](const std::vector<int64_t> &shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
      if (d < 0 || (d && n > (int64_t(1) << 40) / d))
        return false;
      n *= d;
    }
    return true;
  };
  for (const auto *values : {&m.args, &m.results})
    for (const GlobalValue &g : *values)
      if (!checkShape(g.shape))
        return fail("a global shape is negative or too large");
  std::vector<bool> seen(numRanks, false);
  for (const RankProgram &p : m.programs) {
    if (p.rank < 0 || p.rank >= numRanks || seen[p.rank])
      return fail("program rank " + std::to_string(p.rank) +
                  " is out of range or repeated");
    seen[p.rank] = true;
    if (p.name != m.entry + "__rank" + std::to_string(p.rank))
      return fail("program " + p.name + " is not rank " +
                  std::to_string(p.rank) + "'s");
    for (bool result : {false, true})
      for (const Slot &sl : result ? p.results : p.args) {
        const std::vector<GlobalValue> &globals = result ? m.results : m.args;
        if (sl.index < 0 || sl.index >= (int64_t)globals.size() ||
            sl.replica < 0 || sl.replica >= m.numReplicas ||
            sl.position < -1)
          return fail("a slot of " + p.name + " names no global value");
        const std::vector<int64_t> &shape = globals[sl.index].shape;
        if (sl.offsets.size() != shape.size() ||
            sl.localShape.size() != shape.size() ||
            sl.element != globals[sl.index].element)
          return fail("a slot of " + p.name + " does not match its value");
        for (size_t d = 0; d < shape.size(); ++d)
          if (sl.offsets[d] < 0 || sl.localShape[d] < 0 ||
              sl.offsets[d] + sl.localShape[d] > shape[d])
            return fail("a tile of " + p.name + " lies outside its value");
      }
  }
  for (auto &[j, a] : m.updates)
    if (j < 0 || j >= (int64_t)m.results.size() || a < 0 ||
        a >= (int64_t)m.args.size() ||
        m.results[j].shape != m.args[a].shape ||
        m.results[j].element != m.args[a].element)
      return fail("an update pairs a result and an argument that do not "
                  "match");
  for (int64_t owner : m.replicaOwners)
    if (owner < 0 || owner >= numRanks)
      return fail("a replica's owner is not a rank");
  if (!m.replicaOwners.empty() &&
      (int64_t)m.replicaOwners.size() != m.numReplicas)
    return fail("owners and replicas disagree");
  return true;
}
