// Spec uploads in tests: POST …/specs as multipart over HTTP, then polling the job until it ends.
import type { RunningMockgate } from './start-mockgate.js';

export async function uploadSpec(mg: RunningMockgate, endpoint: string, name: string, bytes: Buffer | string,
  fields: Record<string, string> = {}): Promise<any> {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type: 'application/octet-stream' }), name);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const res = await fetch(`${mg.url}/api/v2/endpoints/${endpoint}/specs`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Polls the job until it is COMPLETED or FAILED; `seen` collects the progress of each PROCESSING poll. */
export async function settleJob(mg: RunningMockgate, endpoint: string, jobId: string, seen: Array<{ progress: number; stage: string }> = []): Promise<any> {
  for (let i = 0; i < 1000; i++) {
    const job = (await mg.api.get(`/api/v2/endpoints/${endpoint}/jobs/${jobId}`)).body;
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    if (job.status === 'PROCESSING') seen.push({ progress: job.progress, stage: job.currentStage });
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${jobId} did not finish`);
}
