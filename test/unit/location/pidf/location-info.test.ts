import { describe, expect, it } from 'vitest';
import { fixReadingSchema, type FixReading } from '../../../../src/geo/fix.js';
import { parseGeolocationHeader, parseLocationInfo, readingFromProfile, type GeolocProfile } from '../../../../src/location/pidf/location-info.js';
import { parsePidfLo } from '../../../../src/location/pidf/pidf-lo.js';

function readingOf(profile: GeolocProfile): FixReading {
  const result = readingFromProfile(profile);
  if (!result.ok) throw new Error(`expected a reading, got refusal: ${result.reason}`);
  if (result.value.kind !== 'reading') throw new Error(`expected a reading, got ${result.value.kind}`);
  expect(fixReadingSchema.safeParse(result.value.reading).success).toBe(true);
  return result.value.reading;
}

function reasonOf(profile: GeolocProfile): string {
  const result = readingFromProfile(profile);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

const gml = (locationInfo: string, method = ''): GeolocProfile => ({ format: 'GML', locationInfo, method });

describe('readingFromProfile: GML', () => {
  it('given Asterisk\'s circle location_info and method GPS, then it reads the circle as the XML path would', () => {
    const reading = readingOf(gml('shape="Circle",crs="2d",pos="-6.2383 106.9756",radius="35"', 'GPS'));
    const xml = parsePidfLo(`<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0">
      <tuple id="a"><status><gp:geopriv><gp:location-info><gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-6.2383 106.9756</gml:pos>
      <gs:radius uom="urn:ogc:def:uom:EPSG::9001">35</gs:radius></gs:Circle></gp:location-info><gp:method>GPS</gp:method></gp:geopriv></status></tuple></presence>`, 'sip-pidf');
    expect(xml.ok && xml.value).toEqual([reading]);
    expect(reading).toMatchObject({ source: 'sip-pidf', shape: 'circle', latitude: -6.2383, longitude: 106.9756, accuracyM: 35, method: 'gnss', fixedAt: null });
  });

  it('given a point with keys in another order, unquoted values and stray whitespace, then it reads the point', () => {
    expect(readingOf(gml('  pos = -6.2 106.9 , crs=2d,shape=Point  '))).toMatchObject({ shape: 'point', latitude: -6.2, longitude: 106.9, method: 'unknown' });
    expect(readingOf(gml("shape='Point', pos='-6.2 106.9'"))).toMatchObject({ latitude: -6.2, longitude: 106.9 });
  });

  it('given a 3d point, then the altitude is kept; a 2d crs with three numbers is refused', () => {
    expect(readingOf(gml('shape="Point",crs="3d",pos="-6.2 106.9 25"'))).toMatchObject({ altitudeM: 25 });
    expect(reasonOf(gml('shape="Point",crs="2d",pos="-6.2 106.9 25"'))).toBe("pos must be two numbers (2d): got '-6.2 106.9 25'");
  });

  it('given a polygon posList, then the centroid and ring are those of the XML path', () => {
    const reading = readingOf(gml('shape="Polygon",crs="2d",posList="-6.1 106.9 -6.2 106.9 -6.2 107.0 -6.1 106.9"'));
    expect(reading.polygon).toEqual([[-6.1, 106.9], [-6.2, 106.9], [-6.2, 107], [-6.1, 106.9]]);
    expect(reading.latitude).toBeCloseTo((-6.1 - 6.2 - 6.2) / 3, 9);
    expect(reading.longitude).toBeCloseTo((106.9 + 106.9 + 107) / 3, 9);
  });

  it('given a polygon as repeated pos keys (how Asterisk flattens gml:pos lists), then the vertices are read in order', () => {
    const reading = readingOf(gml('shape="Polygon",crs="2d",pos="-6.1 106.9",pos="-6.2 106.9",pos="-6.2 107.0"'));
    expect(reading.polygon).toEqual([[-6.1, 106.9], [-6.2, 106.9], [-6.2, 107], [-6.1, 106.9]]);
  });

  it('given an ellipse whose orientation Asterisk labelled "radians" for an EPSG 9102 (degrees) PIDF, then it is read as degrees', () => {
    expect(readingOf(gml('shape="Ellipse",crs="2d",pos="-6.9 107.6",semiMajorAxis="1275",semiMinorAxis="670",orientation="43.2 radians"', 'Cell')))
      .toMatchObject({ shape: 'ellipse', accuracyM: 1275, method: 'cell', ellipse: { semiMajorM: 1275, semiMinorM: 670, orientationDeg: 43.2 } });
    expect(readingOf(gml('shape="Ellipse",pos="-6.9 107.6",semiMajorAxis="10",semiMinorAxis="5",orientation="90"')).ellipse?.orientationDeg).toBe(90);
    expect(reasonOf(gml('shape="Ellipse",pos="-6.9 107.6",semiMajorAxis="10",semiMinorAxis="5",orientation="90 grads"'))).toBe("orientation unit must be degrees or radians: got '90 grads'");
  });

  it('given a sphere in 3d, then it is a circle with altitude; crs "unknown" (no srsName) is taken as undeclared', () => {
    expect(readingOf(gml('shape="Sphere",crs="3d",pos="-6.2 106.8 120",radius="15"'))).toMatchObject({ shape: 'circle', altitudeM: 120, verticalAccuracyM: 15 });
    expect(readingOf(gml('shape="Point",crs="unknown",pos="-6.2 106.8"'))).toMatchObject({ latitude: -6.2 });
  });

  it('given a confidence profile value, then the confidence is kept or refused like the XML path', () => {
    expect(readingOf({ ...gml('shape="Point",pos="1 2"'), confidence: 'pdf="normal",value="95"' }).confidencePct).toBe(95);
    expect(reasonOf({ ...gml('shape="Point",pos="1 2"'), confidence: 'pdf="normal",value="101"' })).toBe("confidence must be between 0 and 100: got '101'");
  });

  it.each([
    ['shape="Circle",crs="2d",pos="-6,2 106,9",radius="35"', "pos has a decimal comma: got '-6,2 106,9' (use '.')"],
    ['shape="Circle",crs="2d",pos="x y",radius="35"', "pos must be two numbers (2d): got 'x y'"],
    ['shape="Circle",crs="2d",pos="-91 106.9",radius="35"', 'pos latitude must be between -90 and 90: got -91'],
    ['shape="Circle",crs="2d",pos="-6.2 106.9",radius="-1"', "circle radius must not be negative: got '-1'"],
    ['shape="Circle",crs="2d",pos="-6.2 106.9",radius="35 ft"', "circle radius must be a number: got '35 ft'"],
    ['shape="Circle",crs="2d",pos="-6.2 106.9"', 'circle has no radius'],
    ['shape="Circle",crs="2d",pos="-6.2 106.9",radius="35",radius="40"', 'circle has 2 radius values'],
    ['shape="Circle",crs="4d",pos="-6.2 106.9",radius="35"', "crs must be 2d or 3d: got '4d'"],
    ['crs="2d",pos="-6.2 106.9"', 'location_info has no shape'],
    ['shape="Hexagon",pos="-6.2 106.9"', "unsupported shape 'Hexagon'"],
    ['shape="ArcBand",pos="-6.2 106.9",innerRadius="1",outerRadius="2",startAngle="0",openingAngle="30"', 'ArcBand shapes are not supported'],
    ['shape="Polygon",posList="1 2 3 4 1 2"', 'polygon needs at least 3 distinct points: got 2'],
    ['shape="Point",pos="1 2",trailing', "location_info item 'trailing' has no '='"],
    ['shape="Point",pos="1 2" trailing', 'location_info value of pos has no closing quote'],
    ['shape="Point",pos="1 2', 'location_info value of pos has no closing quote'],
    ['="1 2",shape="Point"', "location_info key '' is not a name"],
  ])('given %j, then it is refused with %j', (locationInfo, reason) => {
    expect(reasonOf(gml(locationInfo))).toBe(reason);
  });
});

describe('readingFromProfile: civic, URI and nothing', () => {
  it('given a civicAddress location_info, then the civic fields are filled and Asterisk\'s lang key ignored', () => {
    expect(readingOf({ format: 'civicAddress', locationInfo: 'lang="id",country="ID",A1="Jawa Barat",A3="Bekasi Selatan",RD="Jl. Ahmad Yani, Blok A",HNO="1"', method: 'Manual' }))
      .toMatchObject({ shape: 'civic', latitude: null, method: 'manual', civic: { country: 'ID', A1: 'Jawa Barat', A3: 'Bekasi Selatan', RD: 'Jl. Ahmad Yani, Blok A', HNO: '1' } });
  });

  it('given civic values unquoted and in any order, then they are read alike', () => {
    expect(readingOf({ format: 'civicaddress', locationInfo: ' HNO = 12 , country=ID,RD=Jl. Merdeka ' }).civic).toEqual({ country: 'ID', RD: 'Jl. Merdeka', HNO: '12' });
  });

  it('given a civic location_info with nothing we keep, then it is refused', () => {
    expect(reasonOf({ format: 'civicAddress', locationInfo: 'lang="id",PRD="N"' })).toBe('civicAddress has none of country, A1..A6, RD, HNO, HNS, LMK, LOC, FLR, NAM, PC');
  });

  it('given a URI location, then it is returned as a reference to fetch', () => {
    expect(readingFromProfile({ format: 'URI', locationInfo: 'URI="https://127.0.0.1:8443/loc/abc"', method: '' })).toEqual({ ok: true, value: { kind: 'reference', uri: 'https://127.0.0.1:8443/loc/abc' } });
    expect(readingFromProfile({ format: 'uri', locationInfo: "URI='sip:lis@example.com'" })).toEqual({ ok: true, value: { kind: 'reference', uri: 'sip:lis@example.com' } });
  });

  it('given a URI location that is missing, not a URI or of another scheme, then it is refused', () => {
    expect(reasonOf({ format: 'URI', locationInfo: 'foo="bar"' })).toBe('URI location_info has no URI');
    expect(reasonOf({ format: 'URI', locationInfo: 'URI="not a uri"' })).toBe("location URI is not a URI: got 'not a uri'");
    expect(reasonOf({ format: 'URI', locationInfo: 'URI="file:///etc/passwd"' })).toBe("location URI scheme must be http, https, sip, sips or pres: got 'file:'");
  });

  it('given an empty profile (no PIDF on the call), then it is refused as no location', () => {
    expect(reasonOf({ format: '', locationInfo: '', method: '' })).toBe('no location in the geolocation profile');
    expect(reasonOf({ format: 'GML', locationInfo: '   ' })).toBe('location_info is empty');
    expect(reasonOf({ format: 'KML', locationInfo: 'shape="Point"' })).toBe("geolocation format must be GML, civicAddress or URI: got 'KML'");
  });

  it('given values that are not strings at runtime, then it is refused, not thrown', () => {
    expect(reasonOf({ format: 'GML', locationInfo: 42 } as unknown as GeolocProfile)).toBe('geolocation profile values must be strings');
  });
});

describe('parseLocationInfo', () => {
  it('given quoted values holding commas, equals signs and quotes, then each value ends at the quote before a comma', () => {
    expect(parseLocationInfo('NAM="Toko "Maju", Jaya",RD="a=b",HNO=3')).toEqual({ ok: true, value: [['NAM', 'Toko "Maju", Jaya'], ['RD', 'a=b'], ['HNO', '3']] });
  });
});

describe('parseGeolocationHeader', () => {
  it('given an RFC 6442 header with a cid and an https reference and parameters, then both URIs come back in order', () => {
    expect(parseGeolocationHeader('<cid:target123@atlanta.example.com>, <https://lis.example.com:8443/loc/abc?x=1,2>;inserted-by=proxy.example.com'))
      .toEqual(['cid:target123@atlanta.example.com', 'https://lis.example.com:8443/loc/abc?x=1,2']);
  });

  it('given quoted parameters holding commas and angle brackets, then they are not taken for URIs', () => {
    expect(parseGeolocationHeader('<sip:a@b>;note="x, <sip:evil@c>", <sips:d@e>')).toEqual(['sip:a@b', 'sips:d@e']);
  });

  it('given an empty, unbracketed or unterminated header, then no URIs (or only the complete ones) come back', () => {
    expect(parseGeolocationHeader('')).toEqual([]);
    expect(parseGeolocationHeader('https://x/y')).toEqual([]);
    expect(parseGeolocationHeader('<sip:a@b>, <https://x')).toEqual(['sip:a@b']);
    expect(parseGeolocationHeader('  <  sip:a@b  >  ,<>')).toEqual(['sip:a@b']);
  });
});
