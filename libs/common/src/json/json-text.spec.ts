import { jsonStringText } from './json-text';

describe('jsonStringText', () => {
  it('is JSON.stringify for every kind of string', () => {
    const samples = [
      '',
      'WO-1001',
      'mes\\operator',
      'say "hi"',
      'tab\there',
      'line\nbreak',
      '\u0000\u001f\u007f',
      'Grüße',
      '日本',
      '\ud83d\ude00',
      '\ud800 lone',
      '</script>',
      "~ ! # $ % & ' ( ) * + , - . / : ; < = > ? @ [ ] ^ _ ` { | }",
    ];
    for (const s of samples) expect(jsonStringText(s)).toBe(JSON.stringify(s));
    for (let c = 0; c < 0x800; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      expect(jsonStringText(s)).toBe(JSON.stringify(s));
    }
  });
});
