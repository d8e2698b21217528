/**
 * Implementation details of bindspace-core: SIMD kernels, vector storage, the index file codec and
 * the ND4J batch scorer. Nothing here is API; it may change in any release.
 */
package dev.bindspace.internal;
