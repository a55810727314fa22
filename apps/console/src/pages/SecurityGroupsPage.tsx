import { type Schema } from '@chime/client';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, type Owner } from '../api';
import {
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorNote,
  Fields,
  FilterBar,
  FormDialog,
  ListPager,
  RowButton,
  useListState,
} from '../ui';

type SecurityGroup = Schema<'SecurityGroup'>;
type Rule = Schema<'SecurityGroupRule'>;
type RuleList = 'ingress_rules' | 'egress_rules';

const DIRECTION: Record<RuleList, Rule['direction']> = { ingress_rules: 0, egress_rules: 1 };
const LIST_NAMES: Record<RuleList, string> = { ingress_rules: 'Ingress', egress_rules: 'Egress' };
const PROTOCOLS: Rule['protocol'][] = ['tcp', 'udp', 'icmp', 'all'];
const ACTIONS = ['ACCEPT', 'REJECT'];

/** A user creates and changes its own groups; read-only administrators only read (the server refuses them 403). */
const canChangeGroups = (owner: Owner) => owner.role !== 1;

/** A rule as one line: `ACCEPT tcp 10.0.0.0/8 → any :22`. */
function describeRule(rule: Rule): string {
  const ports = (range: string) =>
    range === '' ? '' : range.split(':')[0] === range.split(':')[1] ? `:${range.split(':')[0]}` : `:${range}`;
  const from = `${rule.sip || 'any'}${ports(rule.sport)}`;
  const to = `${rule.dip || 'any'}${ports(rule.dport)}`;
  return `${rule.action} ${rule.protocol} ${from} → ${to}${rule.description ? ` (${rule.description})` : ''}`;
}

function RuleSummary({ rules }: { rules: Rule[] }) {
  if (rules.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="plain">
      {rules.map((rule, i) => (
        <li key={i}>{describeRule(rule)}</li>
      ))}
    </ul>
  );
}

/**
 * Security groups: a user's own (administrators and read-only administrators see everyone's), each
 * with its ingress and egress rules; create, edit (rules replace the whole list) and delete.
 */
export default function SecurityGroupsPage({ owner }: { owner: Owner }) {
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'edit' | 'delete'; group: SecurityGroup }>();
  const list = useListState({ name: '' });
  const { data, error } = useQuery({
    queryKey: ['security_group', 'list', list.query],
    queryFn: () => client.call('listSecurityGroup', { params: { query: list.query as never } }),
    placeholderData: keepPreviousData,
  });
  const columns: Column<SecurityGroup>[] = [
    { key: 'name', label: 'Name', sortable: true },
    { key: 'description', label: 'Description' },
    { key: 'ingress_rules', label: 'Ingress rules', render: (g) => <RuleSummary rules={g.ingress_rules} /> },
    { key: 'egress_rules', label: 'Egress rules', render: (g) => <RuleSummary rules={g.egress_rules} /> },
    ...(owner.role > 0 ? [{ key: 'user_uuid', label: 'Owner' } as Column<SecurityGroup>] : []),
    { key: 'updated_at', label: 'Updated', sortable: true, render: (g) => formatTime(g.updated_at) },
  ];
  return (
    <section>
      <header className="page-header">
        <h1>Security groups</h1>
        {canChangeGroups(owner) && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            New security group
          </button>
        )}
      </header>
      <p className="muted">At most 16 security groups per user and 64 rules per list.</p>
      <FilterBar
        fields={[{ name: 'name', label: 'Filter security groups by name' }]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Security groups"
        columns={columns}
        rows={data?.elements}
        rowKey={(g) => g.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          canChangeGroups(owner)
            ? (group) => (
                <>
                  <RowButton action="Edit" name={group.name} onClick={() => setDialog({ kind: 'edit', group })} />
                  <RowButton action="Delete" name={group.name} onClick={() => setDialog({ kind: 'delete', group })} />
                </>
              )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {dialog?.kind === 'create' && <SecurityGroupDialog onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'edit' && <SecurityGroupDialog group={dialog.group} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'delete' && <DeleteSecurityGroupDialog group={dialog.group} onClose={() => setDialog(undefined)} />}
    </section>
  );
}

const blankRule = (list: RuleList): Rule => ({
  action: 'ACCEPT',
  description: '',
  direction: DIRECTION[list],
  protocol: 'tcp',
  sip: '',
  dip: '',
  sport: '',
  dport: '',
});

/** The rows of one list: a line of fields per rule, Remove on each, Add below. */
function RuleRows({ list, rules, onChange }: { list: RuleList; rules: Rule[]; onChange: (rules: Rule[]) => void }) {
  const name = LIST_NAMES[list];
  const set = (index: number, field: keyof Rule, value: string) =>
    onChange(rules.map((rule, i) => (i === index ? { ...rule, [field]: value } : rule)));
  return (
    <fieldset className="rule-rows">
      <legend>{name} rules</legend>
      {rules.length === 0 && <p className="muted">No {name.toLowerCase()} rules.</p>}
      {rules.map((rule, i) => {
        const label = `${name} rule ${i + 1}`;
        const ported = rule.protocol === 'tcp' || rule.protocol === 'udp';
        return (
          <div className="rule-row" key={i} role="group" aria-label={label}>
            <select aria-label={`${label} action`} value={rule.action} onChange={(e) => set(i, 'action', e.target.value)}>
              {ACTIONS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
            <select
              aria-label={`${label} protocol`}
              value={rule.protocol}
              onChange={(e) =>
                onChange(
                  rules.map((r, j) =>
                    j === i
                      ? {
                          ...r,
                          protocol: e.target.value as Rule['protocol'],
                          ...(['tcp', 'udp'].includes(e.target.value) ? {} : { sport: '', dport: '' }),
                        }
                      : r,
                  ),
                )
              }
            >
              {PROTOCOLS.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
            <input
              aria-label={`${label} source CIDR`}
              placeholder="source CIDR (any)"
              value={rule.sip}
              onChange={(e) => set(i, 'sip', e.target.value)}
            />
            <input
              aria-label={`${label} source ports`}
              placeholder="ports (any)"
              value={rule.sport}
              disabled={!ported}
              onChange={(e) => set(i, 'sport', e.target.value)}
            />
            <input
              aria-label={`${label} destination CIDR`}
              placeholder="destination CIDR (any)"
              value={rule.dip}
              onChange={(e) => set(i, 'dip', e.target.value)}
            />
            <input
              aria-label={`${label} destination ports`}
              placeholder="ports (any)"
              value={rule.dport}
              disabled={!ported}
              onChange={(e) => set(i, 'dport', e.target.value)}
            />
            <input
              aria-label={`${label} description`}
              placeholder="description"
              value={rule.description}
              onChange={(e) => set(i, 'description', e.target.value)}
            />
            <button
              type="button"
              aria-label={`Remove ${label.toLowerCase()}`}
              onClick={() => onChange(rules.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rules, blankRule(list)])}>
        Add {name.toLowerCase()} rule
      </button>
      <small>Ports: a range such as 1:100 or one port such as 80 (tcp and udp only); empty fields mean any.</small>
    </fieldset>
  );
}

/** Create, or edit (only the fields changed are sent; rule lists changed are sent whole, replacing the stored ones). */
function SecurityGroupDialog({ group, onClose }: { group?: SecurityGroup; onClose: () => void }) {
  const queries = useQueryClient();
  const [rules, setRules] = useState<Record<RuleList, Rule[]>>({
    ingress_rules: group?.ingress_rules ?? [],
    egress_rules: group?.egress_rules ?? [],
  });
  const initial = { name: group?.name ?? '', description: group?.description ?? '' };
  const fields = [
    { name: 'name', label: 'Name', required: true },
    { name: 'description', label: 'Description' },
  ];
  return (
    <FormDialog
      title={group ? `Edit ${group.name}` : 'New security group'}
      fields={fields}
      initial={initial}
      submitLabel={group ? 'Save' : 'Create'}
      renderFields={(values, onChange) => (
        <>
          <Fields fields={fields} values={values} onChange={onChange} />
          {(['ingress_rules', 'egress_rules'] as const).map((list) => (
            <RuleRows key={list} list={list} rules={rules[list]} onChange={(next) => setRules({ ...rules, [list]: next })} />
          ))}
        </>
      )}
      onSubmit={async (values) => {
        const name = String(values.name);
        const description = String(values.description);
        if (group) {
          const changedList = (list: RuleList) =>
            JSON.stringify(rules[list]) === JSON.stringify(group[list]) ? undefined : rules[list];
          await client.call('updateSecurityGroup', {
            params: { path: { SecurityGroupUuid: group.uuid } },
            body: {
              name: name === group.name ? undefined : name,
              description: description === group.description ? undefined : description,
              ingress_rules: changedList('ingress_rules'),
              egress_rules: changedList('egress_rules'),
            },
          });
        } else {
          await client.call('createSecurityGroup', {
            body: {
              name,
              description: description || undefined,
              ingress_rules: rules.ingress_rules,
              egress_rules: rules.egress_rules,
            },
          });
        }
        await queries.invalidateQueries({ queryKey: ['security_group'] });
      }}
      onClose={onClose}
    />
  );
}

function DeleteSecurityGroupDialog({ group, onClose }: { group: SecurityGroup; onClose: () => void }) {
  const queries = useQueryClient();
  return (
    <ConfirmDialog
      title={`Delete ${group.name}`}
      question={`Delete the security group ${group.name}? A group a NIC uses is not deleted.`}
      confirmLabel="Delete"
      onConfirm={async () => {
        await client.call('deleteSecurityGroup', { params: { path: { SecurityGroupUuid: group.uuid } } });
        await queries.invalidateQueries({ queryKey: ['security_group'] });
      }}
      onClose={onClose}
    />
  );
}
