import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api, ApiError, conflictFromText, errorFromResponse, TOKEN_KEY } from "../src/api";
import { setLanguage } from "../src/i18n";

class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  clear() {
    this.data.clear();
  }
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  key(i: number) {
    return Array.from(this.data.keys())[i] ?? null;
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit }[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as unknown as typeof fetch;
}

describe("errorFromResponse", () => {
  it("maps FastAPI 422 details to per-field plain messages", () => {
    const err = errorFromResponse(422, {
      detail: [
        { loc: ["body", "email"], msg: "value is not a valid email address: An email address must have an @-sign.", type: "value_error" },
        { loc: ["body", "first_name"], msg: "String should have at most 100 characters", type: "string_too_long" },
      ],
    });
    assert.equal(err.status, 422);
    assert.equal(err.message, "Please correct the highlighted fields.");
    assert.equal(err.fieldErrors.email, "Please enter a valid email address, like name@example.com.");
    assert.equal(errorFromResponse(422, { detail: [{ loc: ["body", "first_name"], type: "string_too_long", ctx: { max_length: 100 } }] }).fieldErrors.first_name, "Please enter at most 100 characters.");
  });

  it("names a partial update's field, not the union member pydantic adds to its loc", () => {
    const detail = [
      { loc: ["body", "label", "function-after[visible_or_empty(), constrained-str]"], type: "string_too_short", ctx: { min_length: 1 } },
      { loc: ["body", "label", "none"], type: "none_required" },
      { loc: ["body", "phones", 0, "number"], type: "string_type" },
      { loc: ["body", "pool.members"], msg: "no active user with login 'nobody'", type: "value_error", code: "unknown_logins", params: { logins: "'nobody'" } },
    ];
    const err = errorFromResponse(422, { detail });
    assert.deepEqual(Object.keys(err.fieldErrors).sort(), ["label", "number", "pool.members"]);
    assert.equal(err.fieldErrors.label, "Please enter at least 1 character.");
  });

  it("keeps a model-level 422 (no field) as the message", () => {
    const err = errorFromResponse(422, { detail: [{ loc: ["body"], msg: "a contact needs a first or a last name", type: "name_required" }] });
    assert.deepEqual(err.fieldErrors, {});
    assert.equal(err.message, "A contact needs a first or a last name.");
  });

  it("accepts {field, reason} details", () => {
    const err = errorFromResponse(422, { detail: [{ field: "number", reason: "not a phone number", code: "invalid_phone" }] });
    assert.equal(err.fieldErrors.number, "This is not a valid phone number.");
    // A code the catalogue does not know: on an English page the server's own (English) words,
    // made a sentence; in another language the general words, never the server's English.
    const unknown = { detail: [{ field: "x", msg: "whatever", code: "nope" }] };
    assert.equal(errorFromResponse(422, unknown).fieldErrors.x, "Whatever.");
    setLanguage("sk");
    try {
      assert.equal(errorFromResponse(422, unknown).fieldErrors.x, "Táto hodnota nie je platná.");
    } finally {
      setLanguage("en");
    }
  });

  it("names the other card on a 409", () => {
    const err = errorFromResponse(409, { detail: { message: "taken", card_kind: "contact", card_id: 7, card_name: "Jana Kováčová" } });
    assert.deepEqual(err.conflict, { kind: "contact", id: 7, name: "Jana Kováčová" });
    assert.match(err.message, /Jana Kováčová/);
  });

  it("finds the other card in the domain error text", () => {
    assert.deepEqual(conflictFromText("+421900123456 already belongs to company 3 (Acme s.r.o.)"), { kind: "company", id: 3, name: "Acme s.r.o." });
    const err = errorFromResponse(409, { detail: "+421900123456 already belongs to contact 12 (Peter Horváth)" });
    assert.equal(err.conflict?.name, "Peter Horváth");
    assert.match(err.message, /contact “Peter Horváth”/);
  });

  it("speaks plainly for 401, 403, 404 and 5xx", () => {
    assert.equal(errorFromResponse(401, { detail: "x" }, "login").message, "Wrong login or password.");
    assert.match(errorFromResponse(401, {}).message, /session has expired/);
    assert.match(errorFromResponse(403, {}).message, /permission/);
    assert.match(errorFromResponse(404, {}).message, /Not found/);
    assert.match(errorFromResponse(502, "Bad gateway").message, /error 502/);
  });
});

describe("Api", () => {
  it("stores the token on login and sends it as a bearer token", async () => {
    const storage = new MemoryStorage();
    const seen: { url?: string; init?: RequestInit }[] = [];
    const login = new Api({ storage, fetchImpl: fakeFetch(200, { access_token: "t0k", token_type: "bearer", user: { id: 1, login: "anna", role: "agent", extensions: ["101"] } }, seen) });
    const user = await login.login("anna", "secret");
    assert.equal(user.login, "anna");
    assert.equal(storage.getItem(TOKEN_KEY), "t0k");

    const api = new Api({ storage, fetchImpl: fakeFetch(200, { items: [], total: 0, limit: 20, offset: 0 }, seen) });
    await api.searchContacts("0900 123", 20, 0);
    const last = seen[seen.length - 1]!;
    assert.equal(last.url, "/api/contacts?q=0900+123&limit=20&offset=0");
    assert.equal((last.init!.headers as Record<string, string>).Authorization, "Bearer t0k");
  });

  it("drops the session and tells listeners on a 401", async () => {
    const storage = new MemoryStorage();
    storage.setItem(TOKEN_KEY, "old");
    const api = new Api({ storage, fetchImpl: fakeFetch(401, { detail: "expired" }) });
    let told = 0;
    api.onUnauthorized(() => (told += 1));
    await assert.rejects(api.me(), (e: unknown) => e instanceof ApiError && e.status === 401);
    assert.equal(storage.getItem(TOKEN_KEY), null);
    assert.equal(told, 1);
  });

  it("reports an unreachable server in plain words", async () => {
    const api = new Api({
      storage: new MemoryStorage(),
      fetchImpl: (async () => {
        throw new TypeError("fetch failed");
      }) as unknown as typeof fetch,
    });
    await assert.rejects(api.getContact(1), (e: unknown) => e instanceof ApiError && e.status === 0 && /Cannot reach/.test(e.message));
  });

  it("returns null from lookup on 404", async () => {
    const api = new Api({ storage: new MemoryStorage(), fetchImpl: fakeFetch(404, { detail: "no card" }) });
    assert.equal(await api.lookup("+421900000000"), null);
  });

  it("counts requests in flight", async () => {
    const api = new Api({ storage: new MemoryStorage(), fetchImpl: fakeFetch(200, {}) });
    const seen: number[] = [];
    api.onBusy((n) => seen.push(n));
    await api.getContact(1);
    assert.deepEqual(seen, [1, 0]);
  });
});
