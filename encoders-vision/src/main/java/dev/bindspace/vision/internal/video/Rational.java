package dev.bindspace.vision.internal.video;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An exact fraction, as Python's {@code fractions.Fraction}: pytorchvideo's clip sampler computes
 * clip bounds with it, and the float conversion happens once, when a bound meets the frame rate.
 */
final class Rational implements Comparable<Rational> {
  static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
  private static final MathContext TO_DOUBLE = new MathContext(80, RoundingMode.HALF_EVEN);
  private final BigInteger num;
  private final BigInteger den; // > 0, reduced

  private Rational(BigInteger num, BigInteger den) {
    if (den.signum() < 0) {
      num = num.negate();
      den = den.negate();
    }
    BigInteger g = num.gcd(den);
    if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
      num = num.divide(g);
      den = den.divide(g);
    }
    this.num = num;
    this.den = den;
  }

  /** The exact value of a finite double (Python's {@code Fraction(float)}). */
  static Rational of(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not a finite number: " + v);
    }
    BigDecimal d = new BigDecimal(v);
    if (d.scale() <= 0) {
      return new Rational(d.toBigIntegerExact(), BigInteger.ONE);
    }
    return new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
  }

  static Rational of(long num, long den) {
    return new Rational(BigInteger.valueOf(num), BigInteger.valueOf(den));
  }

  Rational plus(Rational o) {
    return new Rational(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
  }

  Rational minus(Rational o) {
    return new Rational(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
  }

  Rational times(long k) {
    return new Rational(num.multiply(BigInteger.valueOf(k)), den);
  }

  Rational dividedBy(long k) {
    return new Rational(num, den.multiply(BigInteger.valueOf(k)));
  }

  BigInteger numerator() {
    return num;
  }

  BigInteger denominator() {
    return den;
  }

  /** The nearest double (via 80 significant digits, then Java's correctly rounded parse). */
  double toDouble() {
    return new BigDecimal(num).divide(new BigDecimal(den), TO_DOUBLE).doubleValue();
  }

  @Override
  public int compareTo(Rational o) {
    return num.multiply(o.den).compareTo(o.num.multiply(den));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rational r && num.equals(r.num) && den.equals(r.den);
  }

  @Override
  public int hashCode() {
    return num.hashCode() * 31 + den.hashCode();
  }

  @Override
  public String toString() {
    return num + "/" + den;
  }
}
