/// <reference types="vite/client" />
// --gpus values as the docker CLI reads them (docker/cli opts/gpus.go): each row is what `docker run
// --gpus VALUE` sends as HostConfig.DeviceRequests[0]. VALUE is the argument after the shell removed
// its quoting, so the documented `--gpus '"device=1,2"'` is the value "device=1,2" with its double quotes.
import { describe, expect, it } from 'vitest';
import migInstances from './fixtures/cases/gpus-mig-instances.txt?raw';
import quotedDeviceList from './fixtures/cases/gpus-quoted-device-list.txt?raw';
import { parseGpus, type DeviceRequest } from './gpus';
import { UnitError } from './units';

const req = (r: Partial<DeviceRequest>): DeviceRequest => ({ Driver: '', Count: 0, DeviceIDs: null, Capabilities: [['gpu']], Options: {}, ...r });
const ALL = req({ Count: -1 });
const UUID = 'GPU-ad2367dd-a40e-6b86-6fc3-c44a2cc92c7e';

describe('--gpus: real inputs (fixtures/cases)', () => {
  it('the quoted device list of NVIDIA’s docs is one CSV field: two devices, not a count', () => {
    expect(quotedDeviceList.trim()).toBe('"device=1,2"');
    expect(parseGpus(quotedDeviceList)).toEqual(req({ Count: 0, DeviceIDs: ['1', '2'], Capabilities: [['gpu']] }));
  });
  it('two MIG instances of GPU 0 by index pair', () => {
    expect(parseGpus(migInstances)).toEqual(req({ Count: 0, DeviceIDs: ['0:0', '0:1'] }));
  });
});

describe('--gpus: every example of NVIDIA Container Toolkit “Specialized Configurations with Docker”', () => {
  it.each<[string, DeviceRequest]>([
    ['all', ALL],
    ['2', req({ Count: 2 })],
    ['"device=1,2"', req({ DeviceIDs: ['1', '2'] })],
    [`device=${UUID}`, req({ DeviceIDs: [UUID] })],
    ['all,capabilities=utility', req({ Count: -1, Capabilities: [['utility', 'gpu']] })],
    ['all,"capabilities=compute,utility"', req({ Count: -1, Capabilities: [['compute', 'utility', 'gpu']] })],
    // Without count or device the CLI asks for one GPU.
    ['"capabilities=compute,utility"', req({ Count: 1, Capabilities: [['compute', 'utility', 'gpu']] })],
    ['"device=0:0,0:1"', req({ DeviceIDs: ['0:0', '0:1'] })],
    ['device=MIG-c7384736-a75d-5afc-978f-d2f1294409fd', req({ DeviceIDs: ['MIG-c7384736-a75d-5afc-978f-d2f1294409fd'] })],
    ['device=MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/7/0', req({ DeviceIDs: ['MIG-GPU-5c89852c-d268-c3f3-1b07-005d5ae1dc3f/7/0'] })],
  ])('%s', (value, expected) => {
    expect(parseGpus(value)).toEqual(expected);
  });
});

describe('--gpus: docker/cli opts/gpus_test.go', () => {
  it.each(['all', '-1', 'count=all', 'count=-1'])('TestGpusOptAll %s → every GPU', (value) => {
    expect(parseGpus(value)).toEqual(ALL);
  });
  it.each([
    'driver=nvidia,"capabilities=compute,utility","options=foo=bar,baz=qux"',
    '1,driver=nvidia,"capabilities=compute,utility","options=foo=bar,baz=qux"',
    'count=1,driver=nvidia,"capabilities=compute,utility","options=foo=bar,baz=qux"',
    'driver=nvidia,"capabilities=compute,utility","options=foo=bar,baz=qux",count=1',
  ])('TestGpusOpts %s', (value) => {
    expect(parseGpus(value)).toEqual({ Driver: 'nvidia', Count: 1, DeviceIDs: null, Capabilities: [['compute', 'utility', 'gpu']], Options: { foo: 'bar', baz: 'qux' } });
  });
  it('TestGpusOptInvalidCount: count=invalid-integer is refused', () => {
    expect(() => parseGpus('count=invalid-integer')).toThrow(/count "invalid-integer" must be "all" or a whole number/);
  });
  it('sends Options with keys sorted, as Go encodes a map, and DeviceIDs null for a count', () => {
    const body = JSON.stringify(parseGpus('driver=nvidia,"options=foo=bar,baz=qux,empty"'));
    expect(body).toBe('{"Driver":"nvidia","Count":1,"DeviceIDs":null,"Capabilities":[["gpu"]],"Options":{"baz":"qux","empty":"","foo":"bar"}}');
  });
});

describe('--gpus: the friendly forms keep working', () => {
  it.each<[string, DeviceRequest | null]>([
    ['', null],
    ['  ', null],
    ['none', null],
    [' all ', ALL],
    // Several bare ids are a device list (the CLI would send Count 1, the last bare value).
    ['0,1', req({ DeviceIDs: ['0', '1'] })],
    ['0,1,3', req({ DeviceIDs: ['0', '1', '3'] })],
    // device= without quotes: the CLI would send DeviceIDs ["0"] plus Count 1, which the engine refuses.
    ['device=0,1', req({ DeviceIDs: ['0', '1'] })],
    ['device=0,1,capabilities=utility', req({ DeviceIDs: ['0', '1'], Capabilities: [['utility', 'gpu']] })],
    [UUID, req({ DeviceIDs: [UUID] })],
    ['0:0,0:1', req({ DeviceIDs: ['0:0', '0:1'] })],
    ['device=0', req({ DeviceIDs: ['0'] })],
    ['"device=0,1",driver=nvidia', req({ Driver: 'nvidia', DeviceIDs: ['0', '1'] })],
  ])('%j', (value, expected) => {
    expect(parseGpus(value)).toEqual(expected);
  });
});

describe('--gpus: refusals name the value, the reason and what is accepted', () => {
  it.each<[string, RegExp]>([
    ['0', /0 is not a GPU count: use 1 to 64, "all", or device=0/],
    ['65', /65 is not a GPU count/],
    ['-2', /count "-2" must be "all" or a whole number/],
    ['some', /count "some" must be "all" or a whole number/],
    ['0,0', /each device must be distinct/],
    ['"device=1,1"', /each device must be distinct/],
    ['device=1,2,count=2', /either a count or devices/],
    ['all,0', /either a count or devices/],
    ['count=2,3', /the count is given twice/],
    ['device=0,device=1', /the key device is given twice/],
    ['devices=0', /unexpected key "devices" \(the keys are count, device, capabilities, driver, options\)/],
    ['device=gpu0', /"gpu0" is not a GPU index, MIG pair/],
    ['all,capabilities=compute,utility', /"utility" is neither a count nor a device id \(a value that holds commas needs its whole field in double quotes, as in "capabilities=compute,utility"\)/],
    ['capabilities=', /capability "" is not a name/],
    ['options=', /options= is empty/],
    ['"options=x=1', /a " is not closed/],
    ['"device=0"x', /a closing " must be followed by a comma or the end/],
    ['device="0"', /a " may only open a field/],
    [`'"device=1,2"'`, /the outer '…' are shell quoting: type only what is inside them/],
    ['all,,2', /a field is empty/],
    ['all\n2', /it must be one line/],
    [`device=${'0,'.repeat(600)}1`, /it is longer than 1024 characters/],
  ])('%j', (value, message) => {
    expect(() => parseGpus(value)).toThrow(UnitError);
    expect(() => parseGpus(value)).toThrow(message);
    expect(() => parseGpus(value)).toThrow(`"${value.length > 200 ? `${value.slice(0, 200)}…` : value}" is not a GPU selection`);
  });
});
