// Looking at and poking the browser-VM containers of one test instance, as a test needs to:
// list them by label, read their ports, run a command inside, serve neko sessions, clean up.
import { createDockerClient } from "../../packages/server/src/browser-vms/docker/client.ts";
import { parseVmLabels, vmLabelFilter } from "../../packages/server/src/browser-vms/docker/labels.ts";
import { rangesOverlap } from "../../packages/server/src/browser-vms/docker/ports.ts";

export type VmPorts = NonNullable<ReturnType<typeof parseVmLabels>>;

/** A session as neko's GET /api/sessions lists it. */
export const nekoSession = (id: string, connected: boolean) => ({ id, profile: { name: id }, state: { is_connected: connected } });

export function vmContainers(dockerHost: string, instance: string) {
  const docker = createDockerClient(dockerHost);

  const list = (chatId?: number) => docker.listContainers({ all: true, filters: { label: vmLabelFilter(instance, chatId) } });

  /** Runs a command in the chat's container and waits for it; a failing command fails the test. */
  async function execIn(chatId: number, cmd: string[]): Promise<void> {
    const [info] = await list(chatId);
    if (!info) throw new Error(`chat ${chatId} has no container`);
    const exec = await docker.getContainer(info.Id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise<void>((resolve, reject) => {
      stream.on("end", resolve);
      stream.on("error", reject);
      stream.resume();
    });
    const { ExitCode } = await exec.inspect();
    if (ExitCode !== 0) throw new Error(`${cmd.join(" ")} exited with ${ExitCode}`);
  }

  return {
    docker,
    list,
    async inspect(chatId: number) {
      const [info] = await list(chatId);
      if (!info) throw new Error(`chat ${chatId} has no container`);
      return docker.getContainer(info.Id).inspect();
    },
    /** WebRTC range and HTTP port of every running VM, from their labels. */
    async runningPorts(): Promise<VmPorts[]> {
      return (await list()).filter((info) => info.State === "running").map((info) => parseVmLabels(info.Labels)!);
    },
    execIn,
    /** Makes the chat's stand-in answer GET /api/sessions with these sessions. */
    serveSessions: (chatId: number, sessions: unknown[]) => execIn(chatId, ["sh", "-c", 'printf "%s" "$1" > /www/api/sessions', "sh", JSON.stringify(sessions)]),
    async removeAll(): Promise<void> {
      await Promise.all((await list()).map((info) => docker.getContainer(info.Id).remove({ force: true })));
    },
  };
}

/** Pairs of VMs whose WebRTC ranges or HTTP ports meet (expected: none). */
export function overlappingPorts(vms: readonly VmPorts[]): string[] {
  const overlaps: string[] = [];
  for (const [i, a] of vms.entries()) {
    for (const b of vms.slice(i + 1)) {
      if (rangesOverlap(a.webrtcPorts, b.webrtcPorts) || a.httpPort === b.httpPort) overlaps.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  return overlaps;
}
