// In-force intervals and status derived from an instrument's event history.
import { describe, expect, it } from 'vitest';
import { inForceIntervals, jurisdictionChain, notInForceReason, statusOn, type PolicyEvent } from './corpus.js';

const ev = (date: string, type: PolicyEvent['type']): PolicyEvent => ({ date, type });

describe('inForceIntervals', () => {
  it('opens on effective and closes on an ending event (exclusive)', () => {
    expect(inForceIntervals([ev('2017-04-05', 'signed'), ev('2017-04-05', 'effective'), ev('2025-01-01', 'revoked')])).toEqual([
      { from: '2017-04-05', to: '2025-01-01' },
    ]);
  });
  it('handles suspension by referendum and reinstatement after the vote', () => {
    const events = [ev('2020-12-10', 'signed'), ev('2021-02-05', 'suspended'), ev('2021-02-09', 'effective'), ev('2022-12-08', 'upheld')];
    // The suspension came before the effective date; the law starts only once upheld.
    expect(inForceIntervals(events)).toEqual([{ from: '2021-02-09', to: null }]);
    const later = [ev('2021-01-01', 'effective'), ev('2021-03-26', 'suspended'), ev('2022-12-08', 'upheld')];
    expect(inForceIntervals(later)).toEqual([{ from: '2021-01-01', to: '2021-03-26' }, { from: '2022-12-08', to: null }]);
  });
  it('sorts events by date and never opens for bills that failed', () => {
    expect(inForceIntervals([ev('2017-04-10', 'failed'), ev('2017-03-20', 'passed')])).toEqual([]);
    expect(inForceIntervals([ev('2020-01-01', 'expired'), ev('2019-01-01', 'effective')])).toEqual([{ from: '2019-01-01', to: '2020-01-01' }]);
  });
});

describe('status', () => {
  const bill = { events: [ev('2017-01-10', 'introduced'), ev('2017-02-09', 'vetoed')], inForce: [], binding: true };
  it('names the event that explains why an instrument does not bind', () => {
    expect(notInForceReason(bill, '2017-01-20')).toEqual({ code: 'not_in_force', status: 'proposed', date: '2017-01-10' });
    expect(notInForceReason(bill, '2018-01-01')).toEqual({ code: 'not_in_force', status: 'vetoed', date: '2017-02-09' });
    expect(notInForceReason({ ...bill, events: [] }, '2018-01-01')).toEqual({ code: 'not_in_force', status: 'proposed' });
    expect(notInForceReason({ ...bill, binding: false }, '2018-01-01')).toEqual({ code: 'advisory' });
    expect(statusOn({ ...bill, binding: false }, '2018-01-01').status).toBe('advisory');
    expect(() => notInForceReason({ events: [ev('2017-01-01', 'effective')], inForce: [{ from: '2017-01-01', to: null }], binding: true }, '2018-01-01')).toThrow(/in force/);
  });
  it('knows instruments not yet in force', () => {
    const law = { events: [ev('2021-12-07', 'veto_overridden'), ev('2022-01-06', 'effective')], inForce: inForceIntervals([ev('2022-01-06', 'effective')]), binding: true };
    expect(statusOn(law, '2021-12-20')).toEqual({ status: 'not_yet_in_force', since: '2022-01-06' });
    expect(statusOn(law, '2023-01-01')).toEqual({ status: 'in_force', since: '2022-01-06' });
  });
});

describe('jurisdictionChain', () => {
  it('lists the jurisdiction and its ancestors, nearest first', () => {
    expect(jurisdictionChain('us/md/montgomery-county/takoma-park')).toEqual(['us/md/montgomery-county/takoma-park', 'us/md/montgomery-county', 'us/md', 'us']);
  });
});
