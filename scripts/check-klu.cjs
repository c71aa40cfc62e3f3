#!/usr/bin/env node
/**
 * Runs on `npm install` (postinstall): says in one line whether the native sparse LU (SuiteSparse
 * KLU through the optional koffi package, src/solvers/sparse/klu-native.ts) is available, and
 * how to get it when it is not. Never fails the install: without KLU the TypeScript LU is used.
 */
const NAMES = ['libklu.so.2', 'libklu.so.1', 'libklu.so', 'libklu.2.dylib', 'libklu.dylib', 'klu.dll'];

function kluFound() {
  let koffi;
  try {
    koffi = require('koffi');
  } catch {
    return 'the optional npm package koffi is not installed';
  }
  for (const n of NAMES) {
    try {
      koffi.load(n);
      return '';
    } catch {
      // try the next name
    }
  }
  return 'libklu is not installed';
}

try {
  const why = kluFound();
  if (why) {
    console.log(
      `gridbatch: power flows use the TypeScript LU (${why}); for the faster native KLU: sudo apt-get install libklu1 (Debian 12 / Ubuntu 22.04; libklu2 on newer releases, brew install suite-sparse on macOS)`,
    );
  } else {
    console.log('gridbatch: native KLU found (GRIDBATCH_LU=ts|klu|auto selects the LU)');
  }
} catch {
  // never fail an install over an optional speed-up
}
