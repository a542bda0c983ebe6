import { describe, expect, it } from 'vitest';
import { normaliseGs1Uri } from './digital-link.ts';

// Inputs from GS1's hash-ID vectors epclist_normalisation and epcisDocWithAllGS1Keys; the outputs
// are the ones in their published pre-hash strings.
describe('normaliseGs1Uri', () => {
  it.each([
    ["urn:epc:id:sgtin:4012345.011111.9876","https://id.gs1.org/01/04012345111118/21/9876"],
    ["urn:epc:id:sgtin:4012345.011111.98%22","https://id.gs1.org/01/04012345111118/21/98%22"],
    ["urn:epc:id:sgtin:415056789012.0.987654","https://id.gs1.org/01/04150567890128/21/987654"],
    ["urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()","https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29"],
    ["urn:epc:id:sscc:4012345.3111111111","https://id.gs1.org/00/340123451111111111"],
    ["urn:epc:id:sgln:4012345.00005.122","https://id.gs1.org/414/4012345000054/254/122"],
    ["urn:epc:id:sgln:4012345.00005.0","https://id.gs1.org/414/4012345000054"],
    ["urn:epc:id:grai:4012345.00022.334455","https://id.gs1.org/8003/04012345000221334455"],
    ["urn:epc:id:giai:4012345.ABC345","https://id.gs1.org/8004/4012345ABC345"],
    ["urn:epc:id:gsrn:4012345.0000006765","https://id.gs1.org/8018/401234500000067657"],
    ["urn:epc:id:gsrnp:4012345.0000000007","https://id.gs1.org/8017/401234500000000074"],
    ["urn:epc:id:gdti:4012345.00009.PO-4711","https://id.gs1.org/253/4012345000092PO-4711"],
    ["urn:epc:id:gdti:987659999999..9","https://id.gs1.org/253/98765999999929"],
    ["urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234","https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234"],
    ["urn:epc:id:ginc:0614141.xyz47%2F11","https://id.gs1.org/401/0614141xyz47%2F11"],
    ["urn:epc:id:gsin:4012345.222333444","https://id.gs1.org/402/40123452223334442"],
    ["urn:epc:id:itip:4012345.011111.01.02.987","https://id.gs1.org/8006/040123451111180102/21/987"],
    ["urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB","https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB"],
    ["urn:epc:id:pgln:4000001.00000","https://id.gs1.org/417/4000001000005"],
    ["urn:epc:id:pgln:999999999999.","https://id.gs1.org/417/9999999999994"],
    ["urn:epc:class:lgtin:4012345.012345.Lot987","https://id.gs1.org/01/04012345123456/10/Lot987"],
    ["https://id.gs1.org/gtin/09780345418913","https://id.gs1.org/01/09780345418913"],
    ["https://example.com/gtin/09780345418913/21/765tz?abc=211121","https://id.gs1.org/01/09780345418913/21/765tz"],
    ["urn:epc:id:sgtin:4012345.012345.12","https://id.gs1.org/01/04012345123456/21/12"],
    ["urn:epc:id:sscc:4012345.0000000333","https://id.gs1.org/00/040123450000003338"],
    ["https://id.gs1.org/00/040123450000003338","https://id.gs1.org/00/040123450000003338"],
    ["urn:epc:id:grai:4012345.66666.87","https://id.gs1.org/8003/0401234566666387"],
    ["urn:epc:id:giai:4012345.AAbb","https://id.gs1.org/8004/4012345AAbb"],
    ["urn:epc:id:gsrn:4012345.9876540000","https://id.gs1.org/8018/401234598765400000"],
    ["urn:epc:id:gsrnp:4012345.0000098765","https://id.gs1.org/8017/401234500000987658"],
    ["urn:epc:id:gdti:4012345.55555.98","https://id.gs1.org/253/401234555555498"],
    ["urn:epc:id:cpi:4012345.ABC.123","https://id.gs1.org/8010/4012345ABC/8011/123"],
    ["urn:epc:id:sgcn:4012345.99999.44","https://id.gs1.org/255/401234599999044"],
    ["urn:epc:id:ginc:4012345.333","https://id.gs1.org/401/4012345333"],
    ["urn:epc:id:gsin:4012345.999987654","https://id.gs1.org/402/40123459999876541"],
    ["urn:epc:id:itip:4012345.012345.01.02.999","https://id.gs1.org/8006/040123451234560102/21/999"],
    ["urn:epc:id:upui:4012345.012345.AB12","https://id.gs1.org/01/04012345123456/235/AB12"],
    ["urn:epc:class:lgtin:4054739.099914.20160711","https://id.gs1.org/01/04054739999148/10/20160711"],
    ["urn:epc:idpat:sgtin:4054739.099914.*","https://id.gs1.org/01/04054739999148"],
    ["urn:epc:idpat:grai:4012345.66666.*","https://id.gs1.org/8003/04012345666663"],
    ["urn:epc:idpat:gdti:4012345.55555.*","https://id.gs1.org/253/4012345555554"],
    ["urn:epc:idpat:sgcn:4012345.99999.*","https://id.gs1.org/255/4012345999990"],
    ["urn:epc:idpat:cpi:4012345.ABC.*","https://id.gs1.org/8010/4012345ABC"],
    ["urn:epc:idpat:itip:4012345.012345.01.02.*","https://id.gs1.org/8006/040123451234560102"],
    // Digital Link spellings
    ['http://example.org/some/path/01/4012345123456/10/L1/21/S1', 'https://id.gs1.org/01/04012345123456/21/S1'],
    ['https://id.gs1.org/01/04012345123456/22/2A/10/L1', 'https://id.gs1.org/01/04012345123456/10/L1'],
    ['https://id.gs1.org/sscc/040123450000003338/', 'https://id.gs1.org/00/040123450000003338'],
    ['https://id.gs1.org/gln/4012345000054/254/1', 'https://id.gs1.org/414/4012345000054/254/1'],
    ['https://brand.example/01/96385074', 'https://id.gs1.org/01/00000096385074'],
  ])('%s → %s', (input, output) => {
    expect(normaliseGs1Uri(input)).toBe(output);
  });

  it.each([
    ['a URI with no GS1 key', 'http://transaction.acme.com/po/12345678'],
    ['a CBV business transaction URN', 'urn:epcglobal:cbv:bt:4012345000009:ASN1099'],
    ['a geo URI', 'geo:47.506694,11.104301'],
    ['an SGTIN whose company prefix and item reference are not 13 digits', 'urn:epc:id:sgtin:4012345.0111.1'],
    ['an SGTIN with a serial over 20 characters', 'urn:epc:id:sgtin:4012345.011111.123456789012345678901'],
    ['an EPC scheme without a GS1 key', 'urn:epc:id:gid:95100000.12345.400'],
    ['a GTIN of 11 digits in a Digital Link', 'https://id.gs1.org/01/12345678901'],
    ['a Digital Link whose serial has %-escapes', 'https://id.gs1.org/01/04012345111118/21/98%22'],
    ['a Digital Link with a data attribute', 'https://id.gs1.org/01/04012345111118/21/9876/17/250101'],
    ['a bare word', 'shipping'],
  ])('leaves %s alone (undefined)', (_, input) => {
    expect(normaliseGs1Uri(input)).toBeUndefined();
  });
});
