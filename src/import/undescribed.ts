// Checks across all loaded files: a security group that services are in but no file describes.
import type { Diagnostic, Workspace } from '../model/types';
import { isStub } from './segments';
import { diagnostic } from './text';

const MAX_NAMED = 3;

/**
 * One warning per security group that services are in but no loaded file describes (a stub made from
 * an instance's reference). Its rules are unknown, so the group level has no data for its members; the
 * warning points at the reference and names the group, so the missing export is easy to find.
 */
export const undescribedGroupWarnings = (ws: Workspace): Diagnostic[] => {
  const members = new Map<string, string[]>();
  for (const s of ws.services) {
    for (const id of s.memberships.group ?? []) {
      const list = members.get(id);
      if (list) list.push(s.name);
      else members.set(id, [s.name]);
    }
  }
  const out: Diagnostic[] = [];
  for (const seg of ws.segments) {
    const users = members.get(seg.id);
    if (seg.level !== 'group' || !isStub(seg) || !users) continue;
    const at = seg.source?.[0] ?? { file: ws.sources?.[0]?.name ?? '(workspace)', line: 1, column: 1 };
    const more = users.length > MAX_NAMED ? ` and ${users.length - MAX_NAMED} more` : '';
    const named = users.slice(0, MAX_NAMED).join(', ') + more;
    const group = typeof seg.attributes?.groupId === 'string' ? seg.attributes.groupId : seg.name;
    out.push(
      diagnostic(
        at.file,
        at,
        `security group ${group} (used by ${named}) is not described in the loaded files: the group level has no data for it; load its describe-security-groups output`,
        'warn',
      ),
    );
  }
  return out;
};
