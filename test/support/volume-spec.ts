/**
 * The quality-of-service limits of the volume specs the tests and benchmarks create ("standard"):
 * 500–5,000 IOPS in steps of 50, 10–100 MiB/s in steps of 1 MiB/s. Spread into a createVolumeSpec
 * body beside its name and pool.
 */
export const STANDARD_QOS = {
  min_iops: 500,
  max_iops: 5000,
  step_iops: 50,
  min_throughput: 10 * 2 ** 20,
  max_throughput: 100 * 2 ** 20,
  step_throughput: 2 ** 20,
} as const;
