import { installUrlProblem } from './install-url';

describe('installUrlProblem', () => {
  it('takes file://, http:// and https:// URLs without credentials', () => {
    for (const url of [
      'file:///root/images/centos7_cloudinit.qcow2',
      'http://mirror.example/centos.iso',
      'https://mirror.example:8443/a/b.qcow2?token-free=1',
      'https://[fd00::1]/img.raw',
    ]) {
      expect(installUrlProblem(url)).toBeUndefined();
    }
  });

  it('refuses credentials, naming why: they would be stored in events and shown to every reader', () => {
    for (const url of ['https://user:pw@mirror.example/a.qcow2', 'http://user@mirror.example/a.qcow2', 'https://:pw@h/a']) {
      expect(installUrlProblem(url)).toMatch(
        /^install_url must not carry credentials \(user:password@\): the URL is stored in events/,
      );
    }
  });

  it('refuses other schemes, non-URLs, blanks, non-ASCII, empty and over-long values', () => {
    expect(installUrlProblem('sftp://host/path')).toBe('install_url must be a file://, http:// or https:// URL (not sftp://)');
    expect(installUrlProblem('ftp://host/path')).toMatch(/not ftp:/);
    expect(installUrlProblem('/root/a.qcow2')).toMatch(/^install_url must be a URL/);
    expect(installUrlProblem('http://')).toMatch(/^install_url must be a URL/);
    expect(installUrlProblem('file:///')).toBe('install_url must name a file');
    expect(installUrlProblem('https://host/a b')).toMatch(/printable ASCII without blanks/);
    expect(installUrlProblem('https://host/é')).toMatch(/printable ASCII/);
    expect(installUrlProblem('')).toBe('install_url must not be empty');
    expect(installUrlProblem(`https://host/${'a'.repeat(1011)}`)).toBeUndefined(); // 1024 characters
    expect(installUrlProblem(`https://host/${'a'.repeat(1012)}`)).toBe('install_url must be at most 1024 characters');
    expect(installUrlProblem(1)).toBe('install_url must be a string');
  });
});
