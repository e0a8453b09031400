#!/usr/bin/env python3
"""Lists the GPU architectures a CUDA native library carries code for: machine code (ELF cubins, sm_XY) and PTX
(which newer GPUs' drivers can compile). Used to establish which GPUs nd4j-cuda-11.6 1.0.0-M2.1 runs:

    python3 scripts/gpu/cuda-archs.py ~/.m2/repository/org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar

Reads the .nv_fatbin section of every shared library in the jar (or of the .so given) with objcopy."""
import collections
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

MAGIC = 0xBA55ED50


def fatbin_entries(blob):
    kinds = collections.Counter()
    pos = 0
    while True:
        pos = blob.find(struct.pack('<I', MAGIC), pos)
        if pos < 0:
            return kinds
        _, _, header, size = struct.unpack_from('<IHHQ', blob, pos)
        entry, end = pos + header, pos + header + size
        while entry < end:
            kind, _, entry_header, entry_size = struct.unpack_from('<HHIQ', blob, entry)
            arch = struct.unpack_from('<I', blob, entry + 28)[0]
            kinds[('PTX' if kind == 1 else 'cubin' if kind == 2 else 'kind %d' % kind, arch)] += 1
            if entry_header == 0:
                break
            entry += entry_header + entry_size
        pos = end


def libraries(path, tmp):
    if path.endswith('.so') or '.so.' in path:
        yield path
        return
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith('.so') and 'nd4j' in os.path.basename(name):
                yield z.extract(name, tmp)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        for lib in libraries(sys.argv[1], tmp):
            out = os.path.join(tmp, 'fatbin')
            subprocess.run(['objcopy', '-O', 'binary', '--only-section=.nv_fatbin', lib, out], check=True)
            with open(out, 'rb') as f:
                kinds = fatbin_entries(f.read())
            if not kinds:
                continue
            print(os.path.basename(lib) + ':')
            for (kind, arch), n in sorted(kinds.items(), key=lambda k: (k[0][0], k[0][1])):
                print('  %-6s sm_%d  (%d fat binaries)' % (kind, arch, n))
            ptx = sorted(a for k, a in kinds if k == 'PTX')
            print('  PTX for newer GPUs: ' + (', '.join('sm_%d' % a for a in ptx) if ptx else 'none'))


if __name__ == '__main__':
    main()
