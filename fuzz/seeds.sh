#!/bin/sh
# Build the fuzzers' seed corpora from the repository's own files (run from
# the repository root by `make fuzz`): fuzz/seeds.sh SNNEX OUTDIR.
#   config      configs/*.cfg, validation/*.cfg, fuzz/tiny.cfg
#   trace       configs/*.trace.csv (seed20's matches the harness's config)
#   chips       validation/chips.csv
#   mem_points  small points CSVs (SRAM, STT, DRAM rows; optional columns)
#   checkpoint  checkpoints of fuzz/tiny.cfg saved by a 1- and a 2-epoch
#               `snnex train --limit 8` run
# Nothing here is committed; OUTDIR is rebuilt on every run.
set -eu
snnex=$1
out=$2
rm -rf "$out"
mkdir -p "$out/config" "$out/trace" "$out/chips" "$out/mem_points" "$out/checkpoint"
cp configs/*.cfg "$out/config/"
for f in validation/*.cfg; do cp "$f" "$out/config/validation_$(basename "$f")"; done
cp fuzz/tiny.cfg "$out/config/"
cp configs/*.trace.csv "$out/trace/"
cp validation/chips.csv "$out/chips/"

cat > "$out/mem_points/basic.csv" <<'CSV'
tech,node_nm,capacity_bytes,width_bits,flavor
sram,32,64KiB,64,hp
stt,22,1MiB,128,lop
sram,65,4096,32,lstp
CSV
cat > "$out/mem_points/dram_banks.csv" <<'CSV'
name,tech,node_nm,capacity_bytes,width_bits,flavor,banks,standard
a,dram,,,64,,,LPDDR4
b,dram,,,256,,,HBM2
c,sram,28,2MB,256,hp,8,
d,stt-mram,45,262144,512,,4,
CSV
printf 'tech,node_nm,capacity_bytes,width_bits,flavor\r\nSRAM,14,1 GiB,4096,LOP\r\n\r\n' \
    > "$out/mem_points/crlf.csv"

tmp=$(mktemp -d /tmp/snnex_seedsXXXXXX)
"$snnex" train fuzz/tiny.cfg --limit 8 --threads 1 --save "$tmp/e1.ckpt" >/dev/null
cp "$tmp/e1.ckpt" "$out/checkpoint/epoch1.ckpt"
"$snnex" train fuzz/tiny.cfg --limit 8 --threads 1 --epochs 2 --resume "$tmp/e1.ckpt" \
    --save "$tmp/e2.ckpt" >/dev/null
cp "$tmp/e2.ckpt" "$out/checkpoint/epoch2.ckpt"
rm -rf "$tmp"
