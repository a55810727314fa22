// ESLint rule `chime/module-boundaries`: a module reaches another module only through what that
// module publishes for the purpose, its `<name>.port.ts` and `<name>.events.ts` files at its folder's
// top; and the platform (src/platform, libs) knows no module at all. The composition root
// (src/modules.ts, src/app.module.ts, …) and the tests may import anything.
const path = require('node:path');

const MODULE_FILE = /[\\/]src[\\/]modules[\\/]([^\\/]+)[\\/](.+)$/;
const PLATFORM_FILE = /[\\/](src[\\/]platform|libs)[\\/]/;
const PUBLIC_SURFACE = /^[^\\/]+\.(port|events)(\.ts)?$/;

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'modules import each other only through their ports and events' },
    schema: [],
    messages: {
      reachIn:
        'module "{{from}}" reaches into module "{{to}}" ({{file}}): import only its *.port.ts or *.events.ts, or react to its events',
      platformToModule:
        'the platform must not depend on module "{{to}}" ({{file}}): modules depend on the platform, not the reverse',
    },
  },
  create(context) {
    const filename = context.filename;
    const own = MODULE_FILE.exec(filename);
    const inPlatform = PLATFORM_FILE.test(filename);
    if (!own && !inPlatform) return {};
    function check(node) {
      const source = node.source && node.source.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = MODULE_FILE.exec(path.resolve(path.dirname(filename), source));
      if (!target) return;
      const [, to, file] = target;
      if (inPlatform) {
        context.report({ node: node.source, messageId: 'platformToModule', data: { to, file } });
      } else if (to !== own[1] && !PUBLIC_SURFACE.test(file)) {
        context.report({ node: node.source, messageId: 'reachIn', data: { from: own[1], to, file } });
      }
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
