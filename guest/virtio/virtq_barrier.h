/* SPDX-License-Identifier: MIT */
/*
 * Memory barriers for the shared virtqueue rings, so virtq.c stays portable:
 * real dmb instructions in the guest, C11 fences in the host unit-test build.
 */
#ifndef VIRTIO_VIRTQ_BARRIER_H
#define VIRTIO_VIRTQ_BARRIER_H

#ifdef TR_HOST_BUILD
#define virtq_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define virtq_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define virtq_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#else
/*
 * virtio-mmio on virt is dma-coherent and the device model runs on other
 * host threads: inner-shareable barriers are what Linux uses (weak_barriers).
 */
#define virtq_wmb() __asm__ volatile("dmb ishst" ::: "memory")
#define virtq_rmb() __asm__ volatile("dmb ishld" ::: "memory")
#define virtq_mb()  __asm__ volatile("dmb ish" ::: "memory")
#endif

#endif
