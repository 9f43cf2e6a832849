import { expect } from 'chai';
import { cleanInput, InputRuleError, inputRuleAppError, maxInputDepth, type InputProblem } from '../../src/http/input-rule.ts';
import { toAppError } from '../../src/http/error-handler.ts';
import { isoToVnLocal, vnLocalToIso } from '../../src/modules/inspections/inspections.logic.ts';
import { dayTimeFromInput } from '../../src/kernel/validation.ts';

const problemOf = (value: unknown): InputProblem | undefined => {
  try {
    cleanInput(value);
    return undefined;
  } catch (err) {
    if (err instanceof InputRuleError) return err.problem;
    throw err;
  }
};

const nested = (depth: number): unknown => {
  let v: unknown = 'lá';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('the input rule walker', () => {
  it('puts every string and key of nested objects and arrays in NFC', () => {
    const nfd = 'Đăng ký khai sinh'.normalize('NFD');
    const out = cleanInput({ title: nfd, steps: [{ [nfd]: nfd }], n: 3, ok: true, none: null }) as Record<string, unknown>;
    expect(out.title).to.equal('Đăng ký khai sinh'.normalize('NFC'));
    expect(out.steps).to.deep.equal([{ ['Đăng ký khai sinh'.normalize('NFC')]: 'Đăng ký khai sinh'.normalize('NFC') }]);
    expect(out).to.include({ n: 3, ok: true, none: null });
  });

  it('names the field of a NUL byte deep in the body', () => {
    expect(problemOf({ steps: [{ action: 'ok' }, { action: 'a\u0000b' }] })).to.deep.equal({ kind: 'control', field: 'steps.1.action' });
  });

  it('refuses every C0 control character but tab, new line and carriage return', () => {
    for (let c = 0; c < 0x20; c++) {
      const ch = String.fromCharCode(c);
      const allowed = ch === '\t' || ch === '\n' || ch === '\r';
      expect(problemOf({ note: `x${ch}y` }), `U+${c.toString(16)}`).to.deep.equal(allowed ? undefined : { kind: 'control', field: 'note' });
    }
    expect(problemOf({ note: 'tiếng Việt \u00a0 và \u007f' })).to.equal(undefined);
  });

  it('refuses a control character in a key', () => {
    expect(problemOf({ 'a\u0001': 'x' })).to.deep.equal({ kind: 'control', field: 'a\u0001' });
  });

  it('refuses __proto__, constructor and prototype keys at any depth', () => {
    expect(problemOf(JSON.parse('{"__proto__":{"isAdmin":true}}'))).to.deep.equal({ kind: 'key', field: '__proto__' });
    expect(problemOf({ a: [{ constructor: 'x' }] })).to.deep.equal({ kind: 'key', field: 'a.0.constructor' });
    expect(problemOf({ prototype: 1 })).to.deep.equal({ kind: 'key', field: 'prototype' });
  });

  it(`accepts ${maxInputDepth} levels of nesting and refuses one more, even 100,000 deep`, () => {
    expect(problemOf(nested(maxInputDepth))).to.equal(undefined);
    expect(problemOf(nested(maxInputDepth + 1))?.kind).to.equal('depth');
    expect(problemOf(nested(100_000))?.kind).to.equal('depth');
  });

  it('keeps objects without a prototype (query strings, multipart fields) without one', () => {
    const body = Object.create(null) as Record<string, unknown>;
    body.name = 'Xã';
    const out = cleanInput(body) as object;
    expect(Object.getPrototypeOf(out)).to.equal(null);
    expect(out).to.deep.equal(Object.assign(Object.create(null) as object, { name: 'Xã' }));
  });

  it('answers 422 naming the field for control characters and 400 for keys and depth', () => {
    const control = inputRuleAppError({ kind: 'control', field: 'note' });
    expect([control.code, control.status, control.params.field]).to.deep.equal(['INPUT_CONTROL_CHARS', 422, 'note']);
    expect(control.fields).to.deep.equal({ note: { key: 'v.control_chars' } });
    expect(inputRuleAppError({ kind: 'key', field: '__proto__' }).status).to.equal(400);
    expect(inputRuleAppError({ kind: 'depth', field: '_' }).status).to.equal(400);
  });
});

describe('errors of the body parsers', () => {
  const parserError = (status: number, type: string) => Object.assign(new Error(type), { status, statusCode: status, type, expose: true });

  it('maps too many fields and too large a body to 413, never 500', () => {
    expect(toAppError(parserError(413, 'parameters.too.many')).status).to.equal(413);
    expect(toAppError(parserError(413, 'entity.too.large')).status).to.equal(413);
  });

  it('maps malformed JSON, an unknown charset or encoding and an aborted body to 400', () => {
    for (const [status, type] of [
      [400, 'entity.parse.failed'],
      [415, 'charset.unsupported'],
      [415, 'encoding.unsupported'],
      [400, 'request.aborted'],
      [400, 'entity.verify.failed'],
    ] as const) {
      expect(toAppError(parserError(status, type)).code, type).to.equal('BAD_REQUEST');
    }
  });

  it('still treats an unknown failure as internal', () => {
    expect(toAppError(new Error('boom')).code).to.equal('INTERNAL');
  });
});

describe('dates typed as a local date-time', () => {
  it('refuses 30 February instead of rolling it over to March', () => {
    expect(vnLocalToIso('2026-02-30T10:00')).to.equal(undefined);
    expect(vnLocalToIso('2026-02-30T10:00:00+07:00')).to.equal(undefined);
    expect(vnLocalToIso('2026-02-28T10:00')).to.equal('2026-02-28T03:00:00.000Z');
  });

  it('reads DD/MM/YYYY HH:mm as Vietnamese users type it, whatever the browser speaks', () => {
    expect(dayTimeFromInput(' 7/12/2026 8:30 ')).to.equal('2026-12-07T08:30');
    expect(vnLocalToIso('07/12/2026 08:30')).to.equal('2026-12-07T01:30:00.000Z');
    expect(vnLocalToIso('31/02/2026 08:30')).to.equal(undefined);
    expect(vnLocalToIso('12/07/2026')).to.equal(undefined);
    expect(isoToVnLocal('2026-12-07T01:30:00.000Z')).to.equal('07/12/2026 08:30');
  });
});
