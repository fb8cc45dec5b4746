// A bounded in-memory log of the License API requests the sandbox answered.
export interface RequestRecord {
  method: string;
  /** The name after /api/v4/ (or 'auth/token'); other paths as sent, without the query. */
  endpoint: string;
  /** HTTP status sent; 0 when the connection was dropped without a reply. */
  status: number;
  /** Server clock (ms) when the reply was sent. */
  at: number;
  /** The error code of an error reply, or the fault applied ('fault:drop', …). */
  code?: string;
}

export class RequestLog {
  readonly #limit: number;
  #records: RequestRecord[] = [];

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  add(record: RequestRecord): void {
    this.#records.push(record);
    if (this.#records.length > this.#limit) this.#records.splice(0, this.#records.length - this.#limit);
  }

  list(): RequestRecord[] {
    return this.#records.map((r) => ({ ...r }));
  }

  reset(): void {
    this.#records = [];
  }
}
