import { describe, expect, it } from 'vitest';
import { buildShape, dimensionsOfSrsName, haversineM, parseDecimal, vertexCentroid } from '../../../../src/location/pidf/gml-shapes.js';

describe('gml-shapes', () => {
  it('given one degree of latitude, then haversine gives about 111.2 km', () => {
    expect(haversineM([0, 0], [1, 0])).toBeCloseTo(111_195, 0);
    expect(haversineM([-6.2, 106.8], [-6.2, 106.8])).toBe(0);
  });

  it('given a ring across the antimeridian, then the centroid sits near ±180, not near 0', () => {
    const [latitude, longitude] = vertexCentroid([[10, 179.9], [10, -179.9], [10.1, -179.9], [10.1, 179.9]]);
    expect(latitude).toBeCloseTo(10.05, 9);
    expect(Math.abs(longitude)).toBeCloseTo(180, 9);
  });

  it('given a polygon across the antimeridian, then its accuracy is the few kilometres of the ring, not half the Earth', () => {
    const shape = buildShape({ shape: 'Polygon', dimensions: 2, entries: [{ name: 'posList', text: '10 179.99 10 -179.99 10.01 -179.99 10.01 179.99' }] });
    expect(shape.ok && shape.value.accuracyM).toBeLessThan(2_000);
  });

  it.each([
    ['1.5', 1.5], ['-0.25', -0.25], ['+3', 3], ['.5', 0.5], ['2.', 2], ['1e3', 1000], ['6.2E-1', 0.62],
  ])('given the number %j, then it reads %d', (text, value) => {
    expect(parseDecimal(text, 'x')).toEqual({ ok: true, value });
  });

  it.each([
    ['6,2', "x has a decimal comma: got '6,2' (use '.')"], ['NaN', "x must be a number: got 'NaN'"], ['Infinity', "x must be a number: got 'Infinity'"],
    ['0x1A', "x must be a number: got '0x1A'"], ['1 000', "x must be a number: got '1 000'"], ['1e400', "x is not a finite number: got '1e400'"], ['  ', 'x is empty'],
  ])('given the non-number %j, then the reason is %j', (text, reason) => {
    expect(parseDecimal(text, 'x')).toEqual({ ok: false, reason });
  });

  it('given the spellings of EPSG 4326 and 4979 senders use, then they give 2d and 3d', () => {
    expect(dimensionsOfSrsName('urn:ogc:def:crs:EPSG::4326')).toEqual({ ok: true, value: 2 });
    expect(dimensionsOfSrsName('urn:ogc:def:crs:EPSG:6.6:4979')).toEqual({ ok: true, value: 3 });
    expect(dimensionsOfSrsName('EPSG:4326')).toEqual({ ok: true, value: 2 });
    expect(dimensionsOfSrsName('http://www.opengis.net/def/crs/EPSG/0/4979')).toEqual({ ok: true, value: 3 });
    expect(dimensionsOfSrsName(undefined)).toEqual({ ok: true, value: null });
    expect(dimensionsOfSrsName('urn:ogc:def:crs:EPSG::43260').ok).toBe(false);
  });
});
