import type { ServerResponse } from 'node:http';
import { sendText } from './http.js';

export interface HostedFile {
  bytes: Buffer;
  contentType: string;
}

const PREFIX = '/files/';

/** Outputs that a fake serves itself under `/files/`, as a provider's CDN would (no auth). */
export class HostedFiles {
  readonly #files = new Map<string, HostedFile>();

  /** Keeps `bytes` under `name`; returns the path that serves them, `/files/{name}`. */
  put(name: string, bytes: Buffer, contentType: string): string {
    this.#files.set(name, { bytes, contentType });
    return `${PREFIX}${name}`;
  }

  /** The file that a request path names, if the path is under `/files/` and the file exists. */
  find(path: string): HostedFile | undefined {
    return path.startsWith(PREFIX) ? this.#files.get(path.slice(PREFIX.length)) : undefined;
  }

  clear(): void {
    this.#files.clear();
  }
}

export function sendFile(res: ServerResponse, file: HostedFile): void {
  sendText(res, 200, file.bytes, { 'content-type': file.contentType });
}

/** Where a fake serves from: its origin (known once it listens) and the outputs it hosts. */
export interface Site {
  origin: string;
  files: HostedFiles;
}
