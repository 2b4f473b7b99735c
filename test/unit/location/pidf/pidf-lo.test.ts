import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixReadingSchema, type FixReading } from '../../../../src/geo/fix.js';
import { haversineM } from '../../../../src/location/pidf/gml-shapes.js';
import { methodFromText, parsePidfLo, parseRfc3339 } from '../../../../src/location/pidf/pidf-lo.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../../../fixtures/pidf', name), 'utf8');

function readingsOf(xml: string, source: 'sip-pidf' | 'sip-pidf-ref' = 'sip-pidf'): FixReading[] {
  const result = parsePidfLo(xml, source);
  if (!result.ok) throw new Error(`expected readings, got refusal: ${result.reason}`);
  for (const reading of result.value) expect(fixReadingSchema.safeParse(reading).success).toBe(true);
  return result.value;
}

function reasonOf(xml: string): string {
  const result = parsePidfLo(xml, 'sip-pidf');
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

/** A minimal PIDF-LO around one location-info body, for the edge cases. */
const wrap = (locationInfo: string, extra = ''): string => `<?xml version="1.0"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"
  xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0" entity="pres:a@example.com">
  <tuple id="t1"><status><gp:geopriv><gp:location-info>${locationInfo}</gp:location-info><gp:usage-rules/></gp:geopriv></status>${extra}</tuple>
</presence>`;
const point = (pos: string, srs = 'urn:ogc:def:crs:EPSG::4326'): string => wrap(`<gml:Point srsName="${srs}"><gml:pos>${pos}</gml:pos></gml:Point>`);
const circle = (radius: string, uom = 'urn:ogc:def:uom:EPSG::9001'): string =>
  wrap(`<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-6.2 106.9</gml:pos><gs:radius uom="${uom}">${radius}</gs:radius></gs:Circle>`);

describe('parsePidfLo: shapes', () => {
  it('given an RFC 5491 2d point in a tuple, then it reads the point, GPS as gnss and the tuple timestamp', () => {
    expect(readingsOf(fixture('point-2d.xml'))).toEqual([{
      source: 'sip-pidf', shape: 'point', latitude: -6.2383, longitude: 106.9756, accuracyM: null, confidencePct: null,
      altitudeM: null, verticalAccuracyM: null, method: 'gnss', ellipse: null, polygon: null, civic: null,
      fixedAt: Date.UTC(2024, 4, 1, 3, 4, 5),
    }]);
  });

  it('given a 3d point in a dm:device, then the altitude is kept and the device timestamp offset is applied', () => {
    const [reading] = readingsOf(fixture('point-3d-device.xml'), 'sip-pidf-ref');
    expect(reading).toMatchObject({ source: 'sip-pidf-ref', shape: 'point', latitude: -6.17539, longitude: 106.82715, altitudeM: 42.5, method: 'gnss' });
    expect(reading?.fixedAt).toBe(Date.UTC(2024, 4, 1, 3, 4, 5, 250));
  });

  it('given a circle PIDF-LO from a NENA-style sample, then the radius is the accuracy and the confidence is kept', () => {
    expect(readingsOf(fixture('circle-nena.xml'))).toEqual([expect.objectContaining({
      shape: 'circle', latitude: -6.2383, longitude: 106.9756, accuracyM: 35, confidencePct: 95, method: 'cell', fixedAt: Date.UTC(2024, 4, 1, 3, 4, 5),
    })]);
  });

  it('given an ellipse, then the semi-major axis is the accuracy and the axes and orientation are kept', () => {
    expect(readingsOf(fixture('ellipse.xml'))).toEqual([expect.objectContaining({
      shape: 'ellipse', latitude: -6.9147, longitude: 107.6098, accuracyM: 1275, method: 'cell',
      ellipse: { semiMajorM: 1275, semiMinorM: 670, orientationDeg: 43.2 }, fixedAt: null,
    })]);
  });

  it('given a closed polygon posList, then the point is the vertex centroid and the accuracy reaches the farthest vertex', () => {
    const [reading] = readingsOf(fixture('polygon.xml'));
    expect(reading).toMatchObject({ shape: 'polygon', method: 'manual' });
    expect(reading?.latitude).toBeCloseTo(-6.15, 9);
    expect(reading?.longitude).toBeCloseTo(106.95, 9);
    expect(reading?.polygon).toEqual([[-6.1, 106.9], [-6.2, 106.9], [-6.2, 107], [-6.1, 107], [-6.1, 106.9]]);
    expect(reading?.accuracyM).toBeCloseTo(haversineM([reading!.latitude!, reading!.longitude!], [-6.1, 106.9]), 6);
    expect(reading?.accuracyM).toBeGreaterThan(7_800);
    expect(reading?.accuracyM).toBeLessThan(7_900);
  });

  it('given a polygon as an open list of gml:pos, then the ring is closed and the centroid is the average of the three vertices', () => {
    const [reading] = readingsOf(fixture('polygon-pos-open.xml'));
    expect(reading?.polygon).toEqual([[-6.3, 106.8], [-6.3, 106.9], [-6.2, 106.85], [-6.3, 106.8]]);
    expect(reading?.latitude).toBeCloseTo((-6.3 - 6.3 - 6.2) / 3, 9);
    expect(reading?.longitude).toBeCloseTo(106.85, 9);
    expect(reading?.method).toBe('unknown');
  });

  it('given a sphere, then it is read as a circle with altitude and the radius as vertical accuracy too', () => {
    expect(readingsOf(fixture('sphere.xml'))).toEqual([expect.objectContaining({
      shape: 'circle', latitude: -6.2088, longitude: 106.8456, altitudeM: 120, accuracyM: 15, verticalAccuracyM: 15, method: 'fused',
    })]);
  });

  it('given an ellipsoid, then it is read as an ellipse with altitude and the vertical axis as vertical accuracy', () => {
    const xml = wrap(`<gs:Ellipsoid srsName="urn:ogc:def:crs:EPSG::4979"><gml:pos>-6.2 106.8 30</gml:pos>
      <gs:semiMajorAxis uom="urn:ogc:def:uom:EPSG::9001">40</gs:semiMajorAxis><gs:semiMinorAxis uom="urn:ogc:def:uom:EPSG::9001">20</gs:semiMinorAxis>
      <gs:verticalAxis uom="urn:ogc:def:uom:EPSG::9001">12</gs:verticalAxis><gs:orientation uom="urn:ogc:def:uom:EPSG::9102">90</gs:orientation></gs:Ellipsoid>`);
    expect(readingsOf(xml)).toEqual([expect.objectContaining({ shape: 'ellipse', altitudeM: 30, accuracyM: 40, verticalAccuracyM: 12, ellipse: { semiMajorM: 40, semiMinorM: 20, orientationDeg: 90 } })]);
  });

  it('given an arc band or a prism, then the document is refused as unsupported', () => {
    expect(reasonOf(wrap('<gs:ArcBand srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-6.2 106.8</gml:pos></gs:ArcBand>'))).toBe('ArcBand shapes are not supported');
    expect(reasonOf(wrap('<gs:Prism srsName="urn:ogc:def:crs:EPSG::4979"/>'))).toBe('Prism shapes are not supported');
  });

  it('given an RFC 4119-era gml:location wrapper, then the point inside it is read', () => {
    expect(readingsOf(wrap('<gml:location><gml:Point><gml:pos>-6.2 106.8</gml:pos></gml:Point></gml:location>'))).toEqual([expect.objectContaining({ latitude: -6.2, longitude: 106.8 })]);
  });
});

describe('parsePidfLo: civic addresses and documents', () => {
  it('given a civic-only location, then the RFC 5139 elements we keep are filled and the others ignored', () => {
    expect(readingsOf(fixture('civic-only.xml'))).toEqual([expect.objectContaining({
      shape: 'civic', latitude: null, longitude: null, accuracyM: null, method: 'manual',
      civic: { country: 'ID', A1: 'Jawa Barat', A2: 'Kota Bekasi', A3: 'Bekasi Selatan', A4: 'Kayuringin Jaya', RD: 'Jl. Ahmad Yani', HNO: '1', HNS: 'A', LMK: 'Summarecon Mal Bekasi', FLR: '2', NAM: 'Toko Roti & Kopi', PC: '17144' },
    })]);
  });

  it('given a circle and a civic address in one location-info, then one circle reading carries the civic address', () => {
    expect(readingsOf(fixture('circle-with-civic.xml'))).toEqual([expect.objectContaining({
      shape: 'circle', latitude: -6.25, longitude: 107, accuracyM: 120.5, method: 'wifi',
      civic: { country: 'ID', A1: 'Jawa Barat', A3: 'Bekasi Selatan', RD: 'Jl. Ahmad Yani', HNO: '1' },
    })]);
  });

  it('given several tuples and a person, then every location-info gives a reading in document order with its own method and timestamp', () => {
    const readings = readingsOf(fixture('multiple-holders.xml'));
    expect(readings.map((r) => [r.shape, r.latitude, r.method, r.fixedAt])).toEqual([
      ['point', -6.2, 'gnss', Date.UTC(2024, 4, 1, 3, 4, 5)],
      ['circle', -6.21, 'gnss', Date.UTC(2024, 4, 1, 3, 4, 5)],
      ['circle', -6.3, 'cell', Date.UTC(2024, 4, 1, 3, 3, 0)],
      ['civic', null, 'unknown', Date.UTC(2024, 3, 30, 12, 0, 0)],
    ]);
  });

  it('given unusual namespace prefixes and a misspelt confidence pdf, then the circle, confidence and 802.11 method are still read', () => {
    expect(readingsOf(fixture('unusual-prefixes.xml'))).toEqual([expect.objectContaining({ shape: 'circle', accuracyM: 35, confidencePct: 68, method: 'wifi' })]);
  });

  it('given a presence with no location-info, then it is refused as having none', () => {
    expect(reasonOf('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b"><tuple id="x"><status><basic>open</basic></status></tuple></presence>'))
      .toBe('no location-info in the PIDF-LO');
  });

  it('given a location-info with nothing we know, then the refusal names what was found', () => {
    expect(reasonOf(wrap('<gml:LineString><gml:posList>1 2 3 4</gml:posList></gml:LineString>'))).toBe("location-info holds no supported shape or civicAddress (found 'LineString')");
    expect(reasonOf(wrap(''))).toBe('location-info holds no supported shape or civicAddress');
  });

  it('given civic text with character references, then they are decoded once (&amp;#65; stays literal)', () => {
    const xml = wrap('<ca:civicAddress xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"><ca:A3>Cik&#x69;ni &#233;</ca:A3><ca:NAM>A &amp;#65; &lt;B&gt; &quot;C&apos;</ca:NAM></ca:civicAddress>');
    expect(readingsOf(xml)[0]?.civic).toEqual({ A3: 'Cikini é', NAM: 'A &#65; <B> "C\'' });
  });

  it('given a civic address with only elements we do not keep, then it is refused', () => {
    expect(reasonOf(wrap('<ca:civicAddress xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"><ca:PRD>N</ca:PRD></ca:civicAddress>')))
      .toBe('civicAddress has none of country, A1..A6, RD, HNO, HNS, LMK, LOC, FLR, NAM, PC');
  });

  it('given a civic element longer than the schema allows, then the refusal names it', () => {
    expect(reasonOf(wrap(`<ca:civicAddress xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"><ca:country>IDN</ca:country></ca:civicAddress>`)))
      .toBe('civicAddress country is longer than 2 characters');
  });
});

describe('parsePidfLo: method, timestamp, confidence', () => {
  it.each([
    ['GPS', 'gnss'], ['A-GPS', 'gnss'], ['Device-Assisted_A-GPS', 'gnss'], ['GNSS', 'gnss'], ['Cell', 'cell'], ['Triangulation', 'cell'],
    ['802.11', 'wifi'], ['Wifi', 'wifi'], ['Wi-Fi', 'wifi'], ['Wiremap', 'manual'], ['DHCP', 'manual'], ['Manual', 'manual'],
    ['Hybrid_A-GPS', 'fused'], ['hybrid', 'fused'], ['GPS, Cell', 'fused'], ['Derived', 'unknown'], ['', 'unknown'], [undefined, 'unknown'],
  ])('given the method %j, then it maps to %s', (text, method) => {
    expect(methodFromText(text)).toBe(method);
  });

  it('given RFC 3339 timestamps with offsets, fractions and a leap day, then they become epoch milliseconds', () => {
    expect(parseRfc3339('2024-02-29T23:59:59.999-01:30')).toEqual({ ok: true, value: Date.UTC(2024, 2, 1, 1, 29, 59, 999) });
    expect(parseRfc3339('1985-04-12T23:20:50.52Z')).toEqual({ ok: true, value: Date.UTC(1985, 3, 12, 23, 20, 50, 520) });
  });

  it.each(['2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01 03:04', 'yesterday', '2024-05-01T03:04:05'])(
    'given the bad timestamp %j, then the document is refused', (stamp) => {
      expect(reasonOf(wrap('<gml:Point><gml:pos>1 2</gml:pos></gml:Point>', `<timestamp>${stamp}</timestamp>`))).toBe(`timestamp must be an RFC 3339 date-time: got '${stamp}'`);
    });

  it('given a confidence outside 0..100 or not a number, then the document is refused', () => {
    const withConfidence = (value: string): string => wrap(`<gml:Point><gml:pos>1 2</gml:pos></gml:Point><con:confidence xmlns:con="urn:ietf:params:xml:ns:geopriv:conf" pdf="normal">${value}</con:confidence>`);
    expect(reasonOf(withConfidence('120'))).toBe("confidence must be between 0 and 100: got '120'");
    expect(reasonOf(withConfidence('high'))).toBe("confidence must be a number: got 'high'");
    expect(readingsOf(withConfidence('0'))[0]?.confidencePct).toBe(0);
  });
});

describe('parsePidfLo: values that are refused', () => {
  it.each([
    ['91 106.9', 'pos latitude must be between -90 and 90: got 91'],
    ['-6.2 180.5', 'pos longitude must be between -180 and 180: got 180.5'],
    ['-6,2 106,9', "pos has a decimal comma: got '-6,2 106,9' (use '.')"],
    ['x', "pos must be two numbers (2d): got 'x'"],
    ['-6.2', "pos must be two numbers (2d): got '-6.2'"],
    ['-6.2 106.9 10', "pos must be two numbers (2d): got '-6.2 106.9 10'"],
    ['NaN 106.9', "pos must be two numbers (2d): got 'NaN 106.9'"],
    ['0x10 106.9', "pos must be two numbers (2d): got '0x10 106.9'"],
    ['1e999 106.9', "pos holds a number out of range: got '1e999'"],
    ['', 'pos is empty'],
  ])('given the point pos %j, then the reason is %j', (pos, reason) => {
    expect(reasonOf(point(pos))).toBe(reason);
  });

  it('given a point without srsName, then two or three numbers are accepted and others refused', () => {
    expect(readingsOf(point('-6.2 106.9 15', ''))[0]?.altitudeM).toBe(15);
    expect(reasonOf(point('not numbers', ''))).toBe("pos must be two or three numbers: got 'not numbers'");
  });

  it('given an srsName other than EPSG 4326 or 4979, then it is refused', () => {
    expect(reasonOf(point('-6.2 106.9', 'urn:ogc:def:crs:EPSG::3857'))).toBe("srsName must be EPSG 4326 or 4979: got 'urn:ogc:def:crs:EPSG::3857'");
  });

  it('given a circle radius in feet, then the unit is refused', () => {
    expect(reasonOf(fixture('circle-feet.xml'))).toBe('circle radius unit must be metres (urn:ogc:def:uom:EPSG::9001)');
    expect(reasonOf(wrap('<gs:Circle><gml:pos>1 2</gml:pos><gs:radius>5</gs:radius></gs:Circle>'))).toBe('circle radius unit must be metres (urn:ogc:def:uom:EPSG::9001)');
  });

  it('given a negative, comma or missing circle radius, then each is refused precisely', () => {
    expect(reasonOf(circle('-5'))).toBe("circle radius must not be negative: got '-5'");
    expect(reasonOf(circle('6,2'))).toBe("circle radius has a decimal comma: got '6,2' (use '.')");
    expect(reasonOf(circle('big'))).toBe("circle radius must be a number: got 'big'");
    expect(reasonOf(wrap('<gs:Circle><gml:pos>1 2</gml:pos></gs:Circle>'))).toBe('circle has no radius');
    expect(readingsOf(circle('0'))[0]?.accuracyM).toBe(0);
  });

  it('given an ellipse with swapped axes or orientation in radians, then it is refused', () => {
    const ellipse = (minor: string, orientationUom: string): string => wrap(`<gs:Ellipse><gml:pos>1 2</gml:pos>
      <gs:semiMajorAxis uom="urn:ogc:def:uom:EPSG::9001">10</gs:semiMajorAxis><gs:semiMinorAxis uom="urn:ogc:def:uom:EPSG::9001">${minor}</gs:semiMinorAxis>
      <gs:orientation uom="${orientationUom}">1</gs:orientation></gs:Ellipse>`);
    expect(reasonOf(ellipse('20', 'urn:ogc:def:uom:EPSG::9102'))).toBe('ellipse semiMinorAxis must not exceed semiMajorAxis');
    expect(reasonOf(ellipse('5', 'urn:ogc:def:uom:EPSG::9101'))).toBe('ellipse orientation unit must be degrees (urn:ogc:def:uom:EPSG::9102)');
  });

  it('given polygons with too few distinct points or an odd posList, then they are refused', () => {
    const polygon = (posList: string): string => wrap(`<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>${posList}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>`);
    expect(reasonOf(polygon('1 2 3 4 1 2'))).toBe('polygon needs at least 3 distinct points: got 2');
    expect(reasonOf(polygon('1 2 3 4 5'))).toBe('polygon posList must hold lat lon pairs: got 5 numbers');
    expect(reasonOf(polygon('1 2 3 4 95 6'))).toBe('polygon posList latitude must be between -90 and 90: got 95');
    expect(reasonOf(wrap('<gml:Polygon><gml:exterior/></gml:Polygon>'))).toBe('polygon has no posList or pos');
  });

  it('given a sphere declared 2d, then it is refused', () => {
    expect(reasonOf(wrap('<gs:Sphere srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>1 2</gml:pos></gs:Sphere>'))).toBe('sphere needs a 3d srsName (EPSG 4979)');
  });
});

describe('parsePidfLo: hostile and broken input', () => {
  it('given a DOCTYPE or ENTITY declaration (XXE, billion laughs), then it is refused before parsing', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><presence>&lol2;</presence>';
    expect(reasonOf(laughs)).toBe('PIDF-LO must not contain DOCTYPE or ENTITY declarations');
    expect(reasonOf('<!doctype presence SYSTEM "file:///etc/passwd"><presence/>')).toBe('PIDF-LO must not contain DOCTYPE or ENTITY declarations');
  });

  it('given a document larger than 64 KiB, then it is refused without parsing', () => {
    expect(reasonOf(point('-6.2 106.9').replace('<gp:usage-rules/>', `<gp:usage-rules>${'x'.repeat(65_536)}</gp:usage-rules>`))).toBe('PIDF-LO is larger than 64 KiB');
  });

  it.each([
    ['', 'empty PIDF-LO document'],
    ['   \n', 'empty PIDF-LO document'],
    ['garbage', "malformed XML at line 1: char 'g' is not expected."],
    ['<presence><tuple>', 'malformed XML at line 1: Invalid \'[ "presence", "tuple"]\' found.'],
    ['<presence/><presence/>', 'malformed XML: a document has exactly one root element'],
    ['<html><body>hello</body></html>', "not a PIDF document: root element is 'html'"],
    ['{"latitude": -6.2}', 'malformed XML at line 1: char \'{\' is not expected.'],
  ])('given %j, then it is refused with %j', (xml, reason) => {
    expect(reasonOf(xml)).toBe(reason);
  });

  it('given elements nested deeper than any PIDF-LO needs, then it is refused', () => {
    expect(reasonOf(`<presence>${'<tuple>'.repeat(100)}${'</tuple>'.repeat(100)}</presence>`)).toBe('malformed XML: Maximum nested tags exceeded');
  });

  it('given tag names that would pollute prototypes, then it is refused, not thrown', () => {
    expect(reasonOf('<presence><__proto__/></presence>')).toMatch(/^malformed XML: /);
  });

  it('given a value that is not a string at runtime, then it is refused', () => {
    expect(parsePidfLo(undefined as unknown as string, 'sip-pidf')).toEqual({ ok: false, reason: 'empty PIDF-LO document' });
  });
});
